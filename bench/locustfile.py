"""A school day on the large district, for Locust (`make loadtest`, or bench/loadtest.py).

Who does what (the large district of `seed_large`: 60 schools, 120 officers):
- coordinators read the dashboard, the CRDC and SSEC reports, the monthly report and the lists;
- administrators log incidents and read their lists, incidents and home page;
- officers file activity notes and read their week.

The rate of writes comes from the large district: about 140 incidents and 550 notes a school
day (seed_large: 250,000 incidents and 1,000,000 notes over five years of ~180 school days),
spread over a 7-hour day; `LOAD_FACTOR` (1 realistic, 10 for ten times) multiplies it. Each
writer logs at random (exponential) intervals averaging its share of that rate, and reads
between writes with a person's think time. Every write is checked on the next request: the
incident's page shows it, the officer's list of notes shows the note.

Sign-in is the app's own (the two-factor wizard's password step; coordinators' second factor is
off for the load test, as a script cannot read a token app). The session and CSRF cookies are
`Secure` in production settings; over loopback HTTP they are sent anyway (`_plain_http`).
"""

from __future__ import annotations

import os
import random
import re
import time
from html.parser import HTMLParser

from locust import HttpUser, between, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "sro-demo-2026")
LOAD_FACTOR = float(os.environ.get("LOAD_FACTOR", "1"))
SCHOOL_DAY_SECONDS = 7 * 3600
INCIDENTS_A_DAY = 140
NOTES_A_DAY = 550
ADMINISTRATORS = int(os.environ.get("LOAD_ADMINISTRATORS", "6"))
OFFICERS = int(os.environ.get("LOAD_OFFICERS", "8"))


SIGNED_IN = 0


def mean_interval(per_day: float, writers: int) -> float:
    """Seconds between one writer's writes so that `writers` of them make `per_day` a day."""
    return SCHOOL_DAY_SECONDS * writers / (per_day * LOAD_FACTOR)


class FormFields(HTMLParser):
    """What a browser would send for a page's form fields as they stand: inputs' values, each
    select's selected option (else its first), checkboxes only when checked; `options` lists
    each select's non-empty values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._first: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "file", "button"):
                return
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.fields.setdefault(a["name"], "")
        elif tag == "select" and a.get("name"):
            self._select, self._first = a["name"], None
            self.options[self._select] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._first = value if self._first is None else self._first
            if value:
                self.options[self._select].append(value)
            if "selected" in a:
                self.fields.setdefault(self._select, value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first or "")
            self._select = None


def form_fields(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


class SchoolDayUser(HttpUser):
    abstract = True
    username = ""
    wait_time = between(2, 8)  # a person's think time between pages

    def on_start(self) -> None:
        self.sign_in()
        # Sign-ins (a deliberately slow password hash each) all come at the start; figures are
        # counted from the moment everyone is signed in.
        global SIGNED_IN
        SIGNED_IN += 1
        runner = self.environment.runner
        if runner is not None and SIGNED_IN == runner.target_user_count:
            self.environment.stats.reset_all()

    def _plain_http(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, url: str, name: str | None = None):
        response = self.client.get(url, name=name or url)
        self._plain_http()
        return response

    def post(self, url: str, data: dict, name: str):
        response = self.client.post(url, data=data, name=name, allow_redirects=False)
        self._plain_http()
        return response

    def sign_in(self) -> None:
        page = self.get("/accounts/login/", name="sign-in")
        fields = form_fields(page.text).fields
        fields.update({"auth-username": self.username, "auth-password": PASSWORD})
        response = self.post("/accounts/login/", fields, name="sign-in")
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code})")

    @task(1)
    def trivial(self) -> None:
        # The reference every page is compared with: the signed-in trivial view.
        self.get("/healthz", name="trivial view (signed in)")


class Coordinator(SchoolDayUser):
    # The users left once administrators and officers are placed (`--users` minus 14).
    username = "bench-coordinator"

    @task(3)
    def dashboard(self) -> None:
        self.get("/reports/dashboard/")

    @task(2)
    def crdc(self) -> None:
        self.get("/incidents/reports/crdc/")

    @task(1)
    def ssec(self) -> None:
        self.get("/incidents/reports/ssec/")

    @task(1)
    def monthly(self) -> None:
        self.get("/reports/monthly/")

    @task(2)
    def incidents(self) -> None:
        self.get("/incidents/")

    @task(1)
    def notes(self) -> None:
        self.get("/officers/notes/")

    @task(1)
    def training(self) -> None:
        self.get("/training/compliance/")


class Writer(SchoolDayUser):
    """Writes at random intervals averaging `interval` seconds, reads in between."""

    abstract = True
    interval = 60.0

    def on_start(self) -> None:
        super().on_start()
        self.next_write = time.monotonic() + random.expovariate(1 / self.interval)

    def due(self) -> bool:
        if time.monotonic() < self.next_write:
            return False
        self.next_write = time.monotonic() + random.expovariate(1 / self.interval)
        return True


class Administrator(Writer):
    fixed_count = ADMINISTRATORS  # exactly this many (Locust), so the rate comes out right
    interval = mean_interval(INCIDENTS_A_DAY, ADMINISTRATORS)
    started = 0

    def on_start(self) -> None:
        Administrator.started += 1
        number = (Administrator.started - 1) % 60 + 1
        self.username = f"bench-admin-{number:03d}"
        super().on_start()

    @task(4)
    def read_or_log(self) -> None:
        if self.due():
            self.log_incident()
        else:
            self.get("/incidents/")

    @task(2)
    def home(self) -> None:
        self.get("/reports/my-schools/")

    @task(1)
    def form(self) -> None:
        self.get("/incidents/new/")

    def log_incident(self) -> None:
        page = self.get("/incidents/new/")
        form = form_fields(page.text)
        fields = form.fields
        fields.update(
            {
                "category": random.choice(form.options["category"]),
                "severity": random.choice(form.options["severity"]),
                "location": random.choice(form.options["location"]),
                "description": f"Load test: {self.username} logs an incident at {time.time():.3f}.",
            }
        )
        response = self.post("/incidents/new/", fields, name="log an incident (POST)")
        location = response.headers.get("Location", "")
        with self.client.get(
            location or "/incidents/", name="incident just logged", catch_response=True
        ) as shown:
            self._plain_http()
            if response.status_code != 302 or not re.search(r"/incidents/\d+/$", location):
                shown.failure(f"logging failed: {response.status_code} {location}")
            elif fields["description"] not in shown.text:
                shown.failure("the new incident's page does not show it")


class Officer(Writer):
    fixed_count = OFFICERS
    interval = mean_interval(NOTES_A_DAY, OFFICERS)
    started = 0

    def on_start(self) -> None:
        Officer.started += 1
        number = (Officer.started - 1) % 120 + 1
        self.username = f"bench-officer-{number:03d}"
        super().on_start()

    @task(4)
    def read_or_file(self) -> None:
        if self.due():
            self.file_note()
        else:
            self.get("/officers/my-week/")

    @task(1)
    def my_training(self) -> None:
        self.get("/training/me/")

    def file_note(self) -> None:
        page = self.get("/officers/notes/new/")
        form = form_fields(page.text)
        fields = form.fields  # date today, their primary school: the form's defaults
        topic = f"Load test {time.time():.3f}"
        fields["category"] = random.choice(form.options["category"])
        fields.update(
            {"topic": topic, "minutes": "20", "students_contacted": "2", "narrative": "Walked the halls."}
        )
        fields.pop("follow_up", None)
        response = self.post("/officers/notes/new/", fields, name="file a note (POST)")
        with self.client.get("/officers/notes/", name="notes after filing", catch_response=True) as notes:
            self._plain_http()
            if response.status_code != 302:
                notes.failure(f"filing failed: {response.status_code}")
            elif topic not in notes.text:
                notes.failure("the officer's notes do not show the note just filed")
