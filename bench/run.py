"""Large-district benchmark: gunicorn on PostgreSQL, a real HTTP client, one table.

    python bench/run.py            (or: make bench)

1. migrates the benchmark database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sro_bench)
   and builds the large district with `manage.py seed_large` if it is not there yet (minutes);
2. collects static files and starts gunicorn (sro_program.wsgi, 2 sync workers) on a free port of
   127.0.0.1 with production settings (DJANGO_DEBUG=0; SECURE_SSL_REDIRECT=0 because there is no
   TLS here; two-factor sign-in for coordinators off, since a script cannot read a token app);
3. signs in as the coordinator and as an officer over HTTP, warms up, then requests every key page
   and the trivial view (GET /healthz, no database query) in round-robin, sequentially, a fixed
   number of times, and measures each response to its last byte;
4. counts each page's SQL queries once, in-process, on the same data;
5. stops gunicorn and prints a markdown table: median, p95, p95 ÷ trivial p95, queries, failures.

Target: every page's p95 within 5x the trivial view's p95 and under 300 ms; no failures.
Only 127.0.0.1 is contacted; every loop is bounded.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sro_bench"
# A shared cache, as production should have (README): the workers share cached figures.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/3"
TARGET_RATIO = 5.0
TARGET_P95_MS = 300.0

# Production-like settings for the server (and for the in-process query count).
SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "REQUIRE_2FA_FOR_COORDINATORS": "0",
    "CELERY_TASK_ALWAYS_EAGER": "1",
    "STATIC_ROOT": str(VAR / "bench-static"),
}


@dataclass
class Page:
    key: str
    title: str
    url_name: str
    who: str  # "coordinator", "officer" or "anonymous"
    build: object = None  # callable(url_name) -> (args, query dict)
    url: str = ""
    times: list[float] = field(default_factory=list)
    failures: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    queries: int | None = None
    error: str = ""
    spent: float = 0.0
    sql_ms: float | None = None
    cold_ms: float | None = None
    cold_queries: int | None = None
    slowest: list[tuple[float, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The pages, and the data each needs (resolved in-process with Django).


def _school_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)


def build_pages() -> list[Page]:
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from bench.district import OFFICER_USERNAME
    from incidents.models import Incident, IncidentPerson

    today = timezone.localdate()
    this_year_start = _school_year_start(today)
    last_year_start = this_year_start.replace(year=this_year_start.year - 1)
    officer_user = User.objects.get(username=OFFICER_USERNAME)
    officer = officer_user.officer_record

    def incident_list_query():
        school = Incident.objects.order_by("school_id").values_list("school_id", flat=True).first()
        return [], {
            "school": school or "",
            "status": "closed",
            "date_from": last_year_start.isoformat(),
            "date_to": today.isoformat(),
        }

    def incident_detail_args():
        # A recent incident with people involved (and alerts, when the seed made them).
        pk = (
            IncidentPerson.objects.filter(incident__occurred_at__date__lte=today)
            .order_by("-incident__occurred_at")
            .values_list("incident_id", flat=True)
            .first()
        ) or Incident.objects.values_list("pk", flat=True).first()
        return [pk], {}

    def officer_week_args():
        return [officer.pk], {}

    pages = [
        Page("trivial", "Trivial view (GET /healthz, signed in)", "core:health", "coordinator"),
        Page("trivial_anon", "Trivial view (GET /healthz, anonymous)", "core:health", "anonymous"),
        Page("dashboard", "Dashboard (coordinator, whole district)", "reports:dashboard", "coordinator"),
        Page(
            "incident_list",
            "Incident list, filtered (school, status, dates)",
            "incidents:list",
            "coordinator",
            incident_list_query,
        ),
        Page("incident_detail", "Incident detail", "incidents:detail", "coordinator", incident_detail_args),
        Page("activity_week", "Activity week (officer's own)", "officers:my_week", "officer"),
        Page(
            "activity_week_coord",
            "Activity week of an officer (coordinator)",
            "officers:week",
            "coordinator",
            officer_week_args,
        ),
        Page("training_matrix", "Training compliance matrix", "training:matrix", "coordinator"),
        Page(
            "drill_compliance",
            "Drill compliance (district)",
            "drills:list",
            "coordinator",
        ),
        Page(
            "crdc",
            "CRDC law-enforcement report",
            "incidents:crdc_report",
            "coordinator",
        ),
    ]
    for page in pages:
        args, query = page.build() if page.build else ([], {})
        page.url = reverse(page.url_name, args=args) + (f"?{urlencode(query)}" if query else "")
    return pages


# ---------------------------------------------------------------------------------------------
# A small HTTP client: http.client, cookies by hand (the session cookie is marked Secure in
# production settings, which a cookie jar would not send over plain HTTP to 127.0.0.1).


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(
        self, method: str, path: str, body: dict | None = None, referer: str = ""
    ) -> tuple[int, dict, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "sro-bench/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if referer:
            headers["Referer"] = referer
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (ConnectionError, http.client.HTTPException):
            # gunicorn's sync workers close after each response; reconnect once.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, dict(response.headers), payload

    def login(self, login_path: str, username: str, password: str) -> None:
        status, _, html = self.request("GET", login_path)
        if status != 200:
            raise SystemExit(f"GET {login_path} answered {status}")
        text = html.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if not token:
            raise SystemExit("no CSRF token on the login page")
        form = {"csrfmiddlewaretoken": token.group(1)}
        if 'name="auth-username"' in text:  # django-two-factor-auth's login wizard
            step = re.search(r'name="([\w-]*current_step)" value="([^"]+)"', text)
            if step:
                form[step.group(1)] = step.group(2)
            form |= {"auth-username": username, "auth-password": password}
        else:
            form |= {"username": username, "password": password}
        status, headers, _ = self.request(
            "POST", login_path, form, referer=f"http://127.0.0.1:{self.port}{login_path}"
        )
        location = headers.get("Location", "")
        if status != 302 or urlsplit(location).path == login_path:
            raise SystemExit(f"signing in as {username} failed ({status} -> {location or 'no redirect'})")


# ---------------------------------------------------------------------------------------------


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict, check: bool = True) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check, timeout=3600)  # noqa: S603


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sro_program.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def count_queries(pages: list[Page]) -> None:
    """Each page's SQL queries, once, in-process on the same database and settings."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.district import COORDINATOR_USERNAME, OFFICER_USERNAME

    users = {
        "coordinator": User.objects.get(username=COORDINATOR_USERNAME),
        "officer": User.objects.get(username=OFFICER_USERNAME),
    }
    clients = {}
    for who, user in users.items():
        client = DjangoClient(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        clients[who] = client
    clients["anonymous"] = DjangoClient(SERVER_NAME="127.0.0.1")
    for page in pages:
        client = clients[page.who]
        try:
            # The first request after emptying the cache (pages may keep figures there).
            cache.clear()
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as cold:
                client.get(page.url)
            page.cold_ms = (time.perf_counter() - began) * 1000
            page.cold_queries = len(cold.captured_queries)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(page.url)
        except Exception as exc:  # noqa: BLE001 - reported in the table; the HTTP run shows it too
            page.error = f"{type(exc).__name__}: {exc}"[:200]
            continue
        page.queries = len(ctx.captured_queries) if response.status_code == 200 else None
        page.sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        page.slowest = sorted(
            ((float(q["time"]) * 1000, " ".join(q["sql"].split())) for q in ctx.captured_queries),
            reverse=True,
        )[:2]


def percentile(values: list[float], q: float) -> float:
    # Nearest rank: the smallest value with at least q of the values at or below it.
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    log = open(VAR / "bench-gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            GUNICORN,
            "sro_program.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see var/bench-gunicorn.log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{port}"})
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(process)
    raise SystemExit("gunicorn did not answer /healthz within 60 s; see var/bench-gunicorn.log")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def run_benchmark(
    pages: list[Page], port: int, requests: int, warmup: int, password: str, budget: float
) -> None:
    from django.conf import settings
    from django.urls import reverse

    from bench.district import COORDINATOR_USERNAME, OFFICER_USERNAME

    login_path = reverse(settings.LOGIN_URL) if not settings.LOGIN_URL.startswith("/") else settings.LOGIN_URL
    clients = {"coordinator": Client(port), "officer": Client(port), "anonymous": Client(port)}
    clients["coordinator"].login(login_path, COORDINATOR_USERNAME, password)
    clients["officer"].login(login_path, OFFICER_USERNAME, password)
    for page in pages:
        for _ in range(warmup):
            clients[page.who].request("GET", page.url)
    # Round-robin, so every page sees the same machine load over the run. A page whose
    # requests have taken `budget` seconds in all stops early (its n says how many were made).
    for _ in range(requests):
        for page in pages:
            if page.spent >= budget:
                continue
            began = time.perf_counter()
            try:
                status, _, _ = clients[page.who].request("GET", page.url)
            except (OSError, http.client.HTTPException):
                status = 0
            elapsed = (time.perf_counter() - began) * 1000
            page.spent += elapsed / 1000
            page.statuses[status] = page.statuses.get(status, 0) + 1
            if status == 200:
                page.times.append(elapsed)
            else:
                page.failures += 1


def report(pages: list[Page], meta: dict) -> str:
    trivial = next(p for p in pages if p.key == "trivial")
    base = percentile(trivial.times, 0.95) if trivial.times else float("nan")
    lines = [
        f"Benchmark of {meta['date']} on {meta['machine']}; database {meta['database']}; {meta['cache']}; "
        f"gunicorn {meta['workers']} sync workers; up to {meta['requests']} sequential requests per page "
        f"(or {meta['budget']:g} s of them) after {meta['warmup']} warm-up, pages in round-robin.",
        "",
        "| page | URL | n | median ms | p95 ms | p95 ÷ trivial p95 | queries | failed | target met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    all_met = True
    for page in pages:
        if not page.times:
            lines.append(
                f"| {page.title} | `{page.url}` | {page.failures} | – | – | – | – | {page.failures} | "
                f"no: every request failed "
                f"{page.statuses} |"
            )
            all_met = False
            continue
        median = statistics.median(page.times)
        p95 = percentile(page.times, 0.95)
        ratio = p95 / base
        if page.key.startswith("trivial"):
            verdict = "baseline" if page.key == "trivial" else "reference"
        else:
            met = ratio <= TARGET_RATIO and p95 < TARGET_P95_MS and page.failures == 0
            all_met &= met
            reasons = []
            if ratio > TARGET_RATIO:
                reasons.append(f"> {TARGET_RATIO:g}x")
            if p95 >= TARGET_P95_MS:
                reasons.append(f">= {TARGET_P95_MS:g} ms")
            if page.failures:
                reasons.append("failures")
            verdict = "yes" if met else "no (" + ", ".join(reasons) + ")"
        queries = "–" if page.queries is None else str(page.queries)
        lines.append(
            f"| {page.title} | `{page.url}` | {len(page.times) + page.failures} | {median:.1f} | {p95:.1f} | "
            f"{ratio:.1f}x | {queries} | "
            f"{page.failures} | {verdict} |"
        )
    lines += ["", f"All run pages within target: {'yes' if all_met else 'no'}."]
    slow = [
        f"- {page.title}: {page.queries} queries, {page.sql_ms:.0f} ms of SQL (first request with an empty "
        f"cache: {page.cold_queries} queries, {page.cold_ms:.0f} ms); slowest "
        + "; ".join(f"{ms:.0f} ms `{sql[:140]}…`" for ms, sql in page.slowest)
        for page in pages
        if page.slowest and not page.key.startswith("trivial")
    ]
    if slow:
        lines += ["", "SQL per page (one request, in-process, warm cache):", *slow]
    errors = [f"- {page.title}: {page.error}" for page in pages if page.error]
    if errors:
        lines += ["", "Errors while counting queries in-process:", *errors]
    return "\n".join(lines)


def data_summary() -> str:
    from django.apps import apps

    counts = []
    for label in [
        "schools.School",
        "officers.Officer",
        "incidents.Incident",
        "incidents.IncidentPerson",
        "officers.ActivityNote",
        "training.TrainingRecord",
        "drills.Drill",
    ]:
        model = apps.get_model(label)
        counts.append(f"{model._meta.verbose_name_plural}: {model.objects.count():,}")
    return "Data: " + "; ".join(counts) + "."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page (default 60)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds of timed requests per page at most (default 60)"
    )
    parser.add_argument("--no-seed", action="store_true", help="do not run seed_large if the data is missing")
    parser.add_argument("--seed-args", default="", help='extra seed_large arguments, e.g. "--scale 0.1"')
    parser.add_argument(
        "--json", type=Path, default=VAR / "bench-results.json", help="also write results here"
    )
    args = parser.parse_args(argv)
    if not (
        1 <= args.requests <= 1000
        and 0 <= args.warmup <= 100
        and 1 <= args.workers <= 8
        and 1 <= args.budget <= 600
    ):
        parser.error("--requests 1..1000, --warmup 0..100, --workers 1..8, --budget 1..600")

    VAR.mkdir(exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    base_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    base_env["DATABASE_URL"] = database_url
    server_env = {**base_env, **SERVER_ENV}
    cache_url = os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL)
    if reachable(cache_url):
        server_env["CACHE_URL"] = base_env["CACHE_URL"] = cache_url
        cache_label = f"shared cache {cache_url}"
    else:
        print(f"WARNING: no cache at {cache_url}; each gunicorn worker keeps its own.", flush=True)
        cache_label = "per-process cache"
    seed_env = {**base_env, "DJANGO_DEBUG": "1"}

    print(f"Database: {database_url.split('@')[-1]}", flush=True)
    manage("migrate", "--noinput", "-v0", env=server_env)
    if not args.no_seed:
        began = time.monotonic()
        manage("seed_large", *args.seed_args.split(), env=seed_env)
        print(f"(seed step {time.monotonic() - began:.1f} s)", flush=True)
    collected = subprocess.run(  # noqa: S603 - fixed argv
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if collected.returncode != 0:
        error = (collected.stderr.strip().splitlines() or ["?"])[-1]
        print(
            f"WARNING: collectstatic fails with the real settings ({error[:160]}...). "
            "Falling back to bench/settings.py, which differs only in not rewriting sourceMappingURL "
            "comments; fix the vendored file for production.",
            flush=True,
        )
        server_env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        manage("collectstatic", "--noinput", "-v0", env=server_env)

    setup_django(server_env)
    from django.conf import settings

    pages = build_pages()
    print(data_summary(), flush=True)
    count_queries(pages)

    port = free_port()
    print(f"Starting gunicorn on 127.0.0.1:{port} ...", flush=True)
    process = start_server(server_env, port, args.workers)
    try:
        began = time.monotonic()
        run_benchmark(pages, port, args.requests, args.warmup, settings.DEMO_PASSWORD, args.budget)
        print(f"({time.monotonic() - began:.1f} s of requests)", flush=True)
    finally:
        stop_server(process)

    meta = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores",
        "database": "PostgreSQL",
        "cache": cache_label,
        "workers": args.workers,
        "requests": args.requests,
        "warmup": args.warmup,
        "budget": args.budget,
    }
    table = report(pages, meta)
    print()
    print(table)
    args.json.write_text(
        json.dumps(
            {
                "meta": meta,
                "pages": [
                    {
                        "key": p.key,
                        "url": p.url,
                        "median_ms": statistics.median(p.times) if p.times else None,
                        "p95_ms": percentile(p.times, 0.95) if p.times else None,
                        "queries": p.queries,
                        "failures": p.failures,
                        "statuses": p.statuses,
                        "times_ms": [round(t, 2) for t in p.times],
                    }
                    for p in pages
                ],
            },
            indent=2,
        )
    )
    failed = sum(p.failures for p in pages)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
