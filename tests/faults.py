"""Real servers for fault tests: an SMTP server in the test process (aiosmtpd) that can
accept, refuse, answer 4xx/5xx, be slow or hang; a Redis server of the test's own on another
port; a Celery worker in a subprocess that can be SIGKILLed. Never the shared services."""

from __future__ import annotations

import asyncio
import contextlib
import email
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], seconds: float = 20.0, step: float = 0.05) -> bool:
    """Poll until `condition()` holds (True), else fail. On the SQLite test database a read
    that meets a worker's write can fail at once ("database table is locked"): that is
    "not yet", not an error."""
    from django.db import OperationalError

    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        time.sleep(step)
    raise AssertionError(f"timed out after {seconds} s waiting for {condition}")


class RefusingBackend(BaseEmailBackend):
    """An email backend whose mail server hangs up on every message."""

    def send_messages(self, email_messages: object) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


REFUSING_BACKEND = "tests.faults.RefusingBackend"


class MailServer:
    """What the server does with a message: `mode` "accept", "refuse" (421 service not
    available), "reject" (554), "hang" (no answer for `hang_seconds`, then 451) or "drop" (it
    takes the whole message, counts it as received, and closes the connection before
    answering: the client cannot know whether it was accepted); `hang_for` hangs only
    messages to those addresses; `refuse_rcpt` answers RCPT TO of an address with its reply
    (e.g. "550 5.1.1 No such user"); `delay` slows every accepted message. `stop()` and
    `start()` make the port refuse connections and take them again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mode = "accept"
        self.hang_for: set[str] = set()
        self.refuse_rcpt: dict[str, str] = {}
        self.hang_seconds = 5.0
        self.delay = 0.0
        self.on_data: Callable[[], None] | None = None
        self.received: list[tuple[str, list[str], float]] = []  # (Message-ID, recipients, when)
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.refuse_rcpt.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.on_data is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_data)
        rcpts = [address.lower() for address in envelope.rcpt_tos]
        if self.mode == "hang" or self.hang_for.intersection(rcpts):
            await asyncio.sleep(self.hang_seconds)
            return "451 4.4.2 Timed out"
        if self.mode == "refuse":
            return "421 4.3.2 Service not available, try again later"
        if self.mode == "reject":
            return "554 5.3.0 Transaction failed"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            self.received.append((message["Message-ID"], rcpts, time.monotonic()))
        if self.mode == "drop":
            server.transport.abort()  # the message is in; the reply never leaves
        return "250 2.0.0 Accepted"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[str]:
        """Message-IDs accepted for `address`."""
        with self._lock:
            return [mid for mid, rcpts, _ in self.received if address.lower() in rcpts]

    def message_ids(self) -> list[str]:
        with self._lock:
            return [mid for mid, _, _ in self.received]


@pytest.fixture
def mail_server(settings) -> Iterator[MailServer]:
    """A real SMTP server on loopback, and the app's mail settings pointing at it."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.stop()


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test may kill."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), 10)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet
        return False


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    yield server
    server.kill()


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Celery sends through `url` (not eagerly) inside the block, as production does."""
    from conftest import _reset_connections
    from sro_program.celery import app

    old = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
        "broker_transport_options": app.conf.broker_transport_options,
    }
    app.conf.update(
        broker_url=url,
        task_always_eager=False,
        broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 2},
    )
    _reset_connections(app)
    try:
        yield
    finally:
        app.conf.update(**old)
        _reset_connections(app)


class WorkerProcess:
    """`celery worker` (with beat sweeping every second) in a subprocess group on the test
    database, a Redis of the test's own and the test's mail server."""

    def __init__(self, *, redis_url: str, smtp_port: int, tmp: Path, database_url: str) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sro_program.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "x" * 50),
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_URL": "locmemcache://",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "2",
            "DELIVERY_LEASE_SECONDS": "3",
            "DELIVERY_RETRY_SECONDS": "1",
            "DELIVERY_SWEEP_SECONDS": "1",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp / "beat-schedule"),
        }
        self.log = tmp / "worker.log"
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._supervisor: threading.Thread | None = None
        self._stop_supervising = threading.Event()

    def start(self, *, supervised: bool = False) -> None:
        """`supervised`: started again whenever it exits, as the README's systemd units do
        (`Restart=always`)."""
        self._spawn()
        if supervised:
            self._stop_supervising.clear()
            self._supervisor = threading.Thread(target=self._supervise, daemon=True)
            self._supervisor.start()

    def _supervise(self) -> None:
        while not self._stop_supervising.wait(0.5):
            if self.process is not None and self.process.poll() is not None:
                self.restarts += 1
                self._spawn()

    def _spawn(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sro_program", "worker", "--beat",
             "-Q", "alerts,reminders,default", "--concurrency", "2", "--loglevel", "WARNING",
             "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no shutdown, no acks (and no
        restart: supervision ends)."""
        if self._supervisor is not None:
            self._stop_supervising.set()
            self._supervisor.join(10)
            self._supervisor = None
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None


@pytest.fixture
def worker_process(transactional_db, own_redis, mail_server, tmp_path) -> Iterator[WorkerProcess]:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a database it can share: run on PostgreSQL (CI does)")
    name = connection.settings_dict["NAME"]
    host = connection.settings_dict.get("HOST") or "127.0.0.1"
    port = connection.settings_dict.get("PORT") or 5432
    user = connection.settings_dict.get("USER") or "postgres"
    password = connection.settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}" if password else user
    own_redis.start()
    worker = WorkerProcess(
        redis_url=own_redis.url,
        smtp_port=mail_server.port,
        tmp=tmp_path,
        database_url=f"postgres://{credentials}@{host}:{port}/{name}",
    )
    yield worker
    worker.kill()
    connection.close()  # the flush that ends the test must not wait on the worker's locks
