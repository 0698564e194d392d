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
import struct
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import USERNAMES, Page, build_pages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sro_bench"
# A shared cache, as production should have (README): the workers share cached figures.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/3"
TARGET_RATIO = 5.0  # a page's p95 at most 5x the signed-in trivial view's p95
TARGET_COLD_RATIO = 10.0  # a page worked out afresh (cache emptied) at most 10x that p95

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

    def first_bytes(self, path: str) -> int:
        """GET `path` up to its first row of data (a CSV's second line), then drop the
        connection (an export of 250,000 rows is not read to its end)."""
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "sro-bench/1"}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            # The header row comes before any query: time to the first row of data.
            response.readline()
            response.readline()
            # Reset the connection (no graceful close) so the worker stops streaming at its
            # next write instead of filling socket buffers for the pages measured after it.
            if conn.sock is not None:
                conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return response.status
        finally:
            conn.close()

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


def _signed_in_clients() -> dict:
    from django.test import Client as DjangoClient

    from accounts.models import User

    clients = {"anonymous": DjangoClient(SERVER_NAME="127.0.0.1")}
    for who, username in USERNAMES.items():
        clients[who] = DjangoClient(SERVER_NAME="127.0.0.1")
        clients[who].force_login(User.objects.get(username=username))
    return clients


def fetch(client, page: Page):
    """The page in-process; a streamed export only to its first chunk (as the HTTP run times it)."""
    response = client.get(page.url)
    if response.streaming:
        next(iter(response.streaming_content), b"")
    return response


def count_queries(pages: list[Page]) -> None:
    """Each page's SQL queries, once, in-process on the same database and settings (warm cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = _signed_in_clients()
    for page in pages:
        client = clients[page.who]
        try:
            fetch(client, page)
            with CaptureQueriesContext(connection) as ctx:
                response = fetch(client, page)
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


def timed_get(client: Client, page: Page) -> tuple[int, float]:
    """(status, ms) of one GET: to the last byte, or to the first bytes of an export's body."""
    began = time.perf_counter()
    try:
        if page.first_bytes:
            status = client.first_bytes(page.url)
        else:
            status, _, _ = client.request("GET", page.url)
    except (OSError, http.client.HTTPException):
        status = 0
    return status, (time.perf_counter() - began) * 1000


def run_benchmark(
    pages: list[Page], port: int, requests: int, warmup: int, password: str, budget: float, cold: int
) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.urls import reverse

    login_path = reverse(settings.LOGIN_URL) if not settings.LOGIN_URL.startswith("/") else settings.LOGIN_URL
    clients = {"anonymous": Client(port)}
    for who, username in USERNAMES.items():
        clients[who] = Client(port)
        clients[who].login(login_path, username, password)
    # Worked out afresh: each page right after the cache (the shared Redis database) is emptied;
    # the median of `cold` such requests.
    for page in pages:
        colds = []
        for _ in range(cold):
            cache.clear()
            status, elapsed = timed_get(clients[page.who], page)
            if status == 200:
                colds.append(elapsed)
        page.cold_ms = statistics.median(colds) if colds else None
    for page in pages:
        for _ in range(warmup):
            timed_get(clients[page.who], page)
    # Round-robin, so every page sees the same machine load over the run. A page whose
    # requests have taken `budget` seconds in all stops early (its n says how many were made).
    for _ in range(requests):
        for page in pages:
            if page.spent >= budget:
                continue
            status, elapsed = timed_get(clients[page.who], page)
            page.spent += elapsed / 1000
            page.statuses[status] = page.statuses.get(status, 0) + 1
            if status == 200:
                page.times.append(elapsed)
            else:
                page.failures += 1


# ---------------------------------------------------------------------------------------------
# Memory: gunicorn workers' resident set (Linux /proc).


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:  # the worker was replaced (or killed) meanwhile
        return float("nan")
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_memory(master: int, port: int, password: str, requests: int) -> dict:
    """Each worker's resident memory after `requests` requests of the pages (round-robin, one
    in fifty a PDF),
    then the peak while one worker streams the whole incident CSV export (every incident
    of the large district) to a client that reads it to its end."""
    import threading

    from django.conf import settings
    from django.urls import reverse

    login_path = reverse(settings.LOGIN_URL) if not settings.LOGIN_URL.startswith("/") else settings.LOGIN_URL
    client = Client(port)
    client.login(login_path, USERNAMES["coordinator"], password)
    urls = ["/healthz", "/incidents/", "/reports/dashboard/", "/officers/notes/", "/incidents/reports/crdc/"]
    for n in range(requests):
        # One in fifty is the monthly report's PDF, the page that once grew a worker most.
        client.request("GET", "/reports/monthly.pdf" if n % 50 == 25 else urls[n % len(urls)])
    workers = worker_pids(master)
    result: dict = {
        "requests": requests,
        "workers_rss_mb": [round(rss_mb(pid), 1) for pid in workers],
        "workers_peak_rss_mb": [round(rss_mb(pid, "VmHWM"), 1) for pid in workers],
    }
    before = {pid: rss_mb(pid) for pid in workers}
    peak = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in workers:
                rss = rss_mb(pid)
                if rss == rss:  # not NaN: the worker is still there
                    peak[pid] = max(peak[pid], rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    try:
        status, _, body = client.request("GET", "/incidents/export.csv")
        outcome = "complete"
    except (http.client.HTTPException, OSError) as error:
        # Cut off (a worker killed past gunicorn's timeout, say): say so, keep the figures.
        status = 0
        body = getattr(error, "partial", b"") or b""
        outcome = f"cut off ({type(error).__name__})"
    elapsed = time.perf_counter() - began
    done.set()
    sampler.join()
    grown = max(peak[pid] - before[pid] for pid in workers)
    result["export"] = {
        "outcome": outcome,
        "status": status,
        "rows": body.count(b"\n") - 1,
        "bytes": len(body),
        "seconds": round(elapsed, 1),
        "rss_before_mb": round(max(before.values()), 1),
        "rss_peak_mb": round(max(peak.values()), 1),
        "rss_growth_mb": round(grown, 1),
    }
    return result


def memory_report(memory: dict) -> str:
    export = memory["export"]
    return (
        f"Memory: after {memory['requests']:,} more requests, gunicorn workers' resident memory "
        f"{', '.join(f'{mb:.0f}' for mb in memory['workers_rss_mb'])} MB (peak "
        f"{', '.join(f'{mb:.0f}' for mb in memory['workers_peak_rss_mb'])} MB; target < 250 MB). "
        f"Incident CSV export ({export.get('outcome', 'complete')}): {export['rows']:,} rows, "
        f"{export['bytes'] / 1e6:.0f} MB in {export['seconds']} s; "
        f"the serving worker's resident memory {export['rss_before_mb']:.0f} MB before, peak "
        f"{export['rss_peak_mb']:.0f} MB (grew {export['rss_growth_mb']:.1f} MB)."
    )


def verdict(page: Page, base: float) -> tuple[bool, str]:
    """Whether the page meets the targets, and if not why."""
    p95 = percentile(page.times, 0.95)
    reasons = []
    if p95 > TARGET_RATIO * base:
        reasons.append(f"p95 > {TARGET_RATIO:g}x")
    if page.cold_ms is None or page.cold_ms > TARGET_COLD_RATIO * base:
        reasons.append(f"cold > {TARGET_COLD_RATIO:g}x")
    if page.failures:
        reasons.append("failures")
    return not reasons, "yes" if not reasons else "no (" + ", ".join(reasons) + ")"


def report(pages: list[Page], meta: dict) -> str:
    trivial = next(p for p in pages if p.key == "trivial")
    base = percentile(trivial.times, 0.95) if trivial.times else float("nan")
    lines = [
        f"Benchmark of {meta['date']} on {meta['machine']}; database {meta['database']}; {meta['cache']}; "
        f"gunicorn {meta['workers']} sync workers; up to {meta['requests']} sequential requests per page "
        f"(or {meta['budget']:g} s of them) after {meta['warmup']} warm-up, pages in round-robin; "
        f"cold = median of {meta['cold']} requests each right after emptying the cache; exports to their "
        "first bytes.",
        "",
        "| page | persona | n | median ms | p95 ms | p95 ÷ trivial | cold ms | cold ÷ trivial | queries "
        "| failed | target met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    missed = []
    for page in pages:
        queries = "–" if page.queries is None else str(page.queries)
        if not page.times:
            lines.append(
                f"| `{page.url}` | {page.who} | {page.failures} | – | – | – | – | – | {queries} "
                f"| {page.failures} | no: every request failed {page.statuses} |"
            )
            missed.append(page.key)
            continue
        p95 = percentile(page.times, 0.95)
        cold = "–" if page.cold_ms is None else f"{page.cold_ms:.0f}"
        cold_ratio = "–" if page.cold_ms is None else f"{page.cold_ms / base:.1f}x"
        if page.key.startswith("trivial"):
            met_words = "baseline" if page.key == "trivial" else "reference"
        else:
            met, met_words = verdict(page, base)
            if not met:
                missed.append(page.key)
        lines.append(
            f"| `{page.url}` | {page.who} | {len(page.times) + page.failures} "
            f"| {statistics.median(page.times):.1f} | {p95:.1f} | {p95 / base:.1f}x | {cold} | {cold_ratio} "
            f"| {queries} | {page.failures} | {met_words} |"
        )
    measured = len([p for p in pages if not p.key.startswith("trivial")])
    lines += ["", f"Pages within target: {measured - len(missed)} of {measured}."]
    if missed:
        lines.append("Missed: " + ", ".join(missed) + ".")
    slow = [
        f"- {page.key}: {page.queries} queries, {page.sql_ms:.0f} ms of SQL; slowest "
        + "; ".join(f"{ms:.0f} ms `{sql[:140]}…`" for ms, sql in page.slowest)
        for page in pages
        if page.slowest and page.key in missed
    ]
    if slow:
        lines += ["", "SQL of the pages that missed (one request, in-process, warm cache):", *slow]
    errors = [f"- {page.key}: {page.error}" for page in pages if page.error]
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
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument(
        "--cold", type=int, default=3, help="requests per page after emptying the cache (default 3)"
    )
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=1000,
        help="requests before reading workers' memory (default 1000)",
    )
    parser.add_argument("--only", default="", help="measure only the pages whose key contains this")
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
        and 1 <= args.cold <= 20
    ):
        parser.error("--requests 1..1000, --warmup 0..100, --workers 1..8, --budget 1..600, --cold 1..20")

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

    pages = [p for p in build_pages() if p.key.startswith("trivial") or args.only in p.key]
    print(data_summary(), flush=True)
    count_queries(pages)

    port = free_port()
    print(f"Starting gunicorn on 127.0.0.1:{port} ...", flush=True)
    process = start_server(server_env, port, args.workers)
    try:
        began = time.monotonic()
        run_benchmark(pages, port, args.requests, args.warmup, settings.DEMO_PASSWORD, args.budget, args.cold)
        print(f"({time.monotonic() - began:.1f} s of requests)", flush=True)
        memory = measure_memory(process.pid, port, settings.DEMO_PASSWORD, args.memory_requests)
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
        "cold": args.cold,
    }
    table = report(pages, meta)
    print()
    print(table)
    print()
    print(memory_report(memory))
    trivial = next(p for p in pages if p.key == "trivial")
    base = percentile(trivial.times, 0.95) if trivial.times else None
    args.json.write_text(
        json.dumps(
            {
                "meta": meta,
                "trivial_p95_ms": base,
                "memory": memory,
                "targets": {"p95_ratio": TARGET_RATIO, "cold_ratio": TARGET_COLD_RATIO},
                "pages": [
                    {
                        "key": p.key,
                        "url": p.url,
                        "persona": p.who,
                        "first_bytes": p.first_bytes,
                        "median_ms": statistics.median(p.times) if p.times else None,
                        "p95_ms": percentile(p.times, 0.95) if p.times else None,
                        "cold_ms": p.cold_ms,
                        "queries": p.queries,
                        "failures": p.failures,
                        "met": verdict(p, base)[0]
                        if p.times and base and not p.key.startswith("trivial")
                        else None,
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
