"""A school day under load: Locust (bench/locustfile.py) against gunicorn + PostgreSQL + Redis
on loopback, headless and bounded in time; prints p50/p95 per page against the signed-in
trivial view's p95, and the failures.

    python bench/loadtest.py [--factor 1] [--seconds 60] [--users 20]      (or: make loadtest)

Needs the large district (`make bench` builds it) in DATABASE_URL (default sro_bench) and
Redis for the shared cache (BENCH_CACHE_URL, default db 3). Runs at the realistic rate, then
at ten times it (`--factor 1,10`, the default)."""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import (  # noqa: E402
    DEFAULT_CACHE_URL,
    DEFAULT_DATABASE_URL,
    PYTHON,
    ROOT,
    SERVER_ENV,
    VAR,
    free_port,
    manage,
    reachable,
    start_server,
    stop_server,
)

LOCUST = str(Path(sys.executable).with_name("locust"))
TARGET_RATIO = 5.0
TRIVIAL = "trivial view (signed in)"


def run_locust(port: int, *, factor: float, seconds: int, users: int, prefix: Path) -> list[dict]:
    env = {**os.environ, "LOAD_FACTOR": str(factor)}
    command = [
        LOCUST,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, cwd=ROOT, env=env, timeout=seconds + 120, check=False)  # noqa: S603
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


def table(rows: list[dict], factor: float, seconds: int, users: int) -> str:
    trivial = next((r for r in rows if r["Name"] == TRIVIAL), None)
    base = float(trivial["95%"]) if trivial else float("nan")
    lines = [
        f"Load ×{factor:g} ({users} users, {seconds} s): p95 of the signed-in trivial view {base:.0f} ms.",
        "",
        "| page | requests | failures | p50 ms | p95 ms | p95 ÷ trivial | target met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in sorted(rows, key=lambda r: r["Name"]):
        if row["95%"] == "N/A":  # no request of it since the figures were reset
            continue
        p95 = float(row["95%"])
        failures = int(row["Failure Count"])
        met = (
            "baseline"
            if row["Name"] == TRIVIAL
            else ("yes" if p95 <= TARGET_RATIO * base and not failures else "no")
        )
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {failures} | {float(row['50%']):.0f} "
            f"| {p95:.0f} | {p95 / base:.1f}x | {met} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factor", default="1,10", help="load factors to run, e.g. 1 or 1,10 (default 1,10)")
    parser.add_argument("--seconds", type=int, default=60, help="seconds per run (default 60, at most 600)")
    parser.add_argument("--users", type=int, default=20, help="simulated people (default 20, at most 200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args(argv)
    factors = [float(f) for f in args.factor.split(",") if f]
    if not (
        1 <= args.seconds <= 600 and 1 <= args.users <= 200 and factors and all(0 < f <= 100 for f in factors)
    ):
        parser.error("--seconds 1..600, --users 1..200, --factor in (0, 100]")

    VAR.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    cache_url = os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL)
    if not reachable(cache_url):
        raise SystemExit(f"no Redis at {cache_url}: the load test needs the shared cache production has")
    server_env = {**env, **SERVER_ENV, "CACHE_URL": cache_url}
    manage("migrate", "--noinput", "-v0", env=server_env)
    collect = [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=server_env, check=True)  # noqa: S603
    port = free_port()
    process = start_server(server_env, port, args.workers)
    reports = []
    try:
        for factor in factors:
            began = time.monotonic()
            rows = run_locust(
                port,
                factor=factor,
                seconds=args.seconds,
                users=args.users,
                prefix=VAR / f"loadtest-x{factor:g}",
            )
            print(f"(load ×{factor:g}: {time.monotonic() - began:.0f} s)", flush=True)
            reports.append(table(rows, factor, args.seconds, args.users))
    finally:
        stop_server(process)
    print("\n\n".join(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
