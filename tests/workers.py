"""Shared harness for tests that run real Celery workers, beat and a private Redis as subprocesses."""

import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection

CELERY = str(Path(sys.executable).parent / "celery")

# A worker killed within this long of the SMTP server accepting a message may not have
# marked it sent: the one duplicate window no outbox can close (docs/reminders.md).
FRESH_ACCEPT_SECONDS = 0.3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """Subprocesses this test starts, each in its own process group, killed only by their own ids."""

    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.log_dir, self.env = log_dir, env
        self.running: dict[str, subprocess.Popen] = {}
        self.starts = Counter()

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        self.starts[name] += 1
        log = open(self.log_dir / f"{name}-{self.starts[name]}.log", "wb")  # noqa: SIM115
        self.running[name] = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        for name in list(self.running):
            self.kill(name)


def start_redis(processes: Processes, port: int) -> None:
    """A private redis-server without persistence: a restart loses every queued message."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    processes.start("redis", command)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("the private redis-server did not start")


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.05) -> None:
    """Poll `condition` every `interval` seconds until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(interval)


def database_url() -> str:
    """The test database, for subprocesses that must share it (PostgreSQL only)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(*, redis_port: int, **settings: str) -> dict[str, str]:
    """What a worker or beat started by a test runs with: the test's PATH and virtualenv,
    the private Redis, no database connections kept between tasks, and `settings`."""
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "CONN_MAX_AGE": "0",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        **settings,
    }


def worker_command(*, hostname: str, concurrency: int) -> list[str]:
    """A Celery worker on every queue, quiet and alone (no gossip with the others)."""
    return [
        CELERY, "-A", "config", "worker", "--pool", "prefork", "--concurrency", str(concurrency),
        "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"{hostname}@%h",
    ]  # fmt: skip


class CountingSink:
    """An aiosmtpd handler that counts each Message-ID it accepts."""

    def __init__(self) -> None:
        self.deliveries: Counter[str] = Counter()
        self.refused = 0
        self.refusing = False
        self.last_accept = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message_id = email.message_from_bytes(envelope.original_content)["Message-ID"]
        with self.lock:
            if self.refusing:
                self.refused += 1
                return "451 4.3.0 Try again in a moment"
            self.deliveries[message_id] += 1
            self.last_accept = time.monotonic()
        return "250 2.0.0 Accepted"

    def quiet(self) -> None:
        """Refuse new mail and wait until every accepted message has had time to be marked sent."""
        with self.lock:
            self.refusing = True
        while time.monotonic() - self.last_accept < FRESH_ACCEPT_SECONDS:
            time.sleep(0.02)

    def resume(self) -> None:
        with self.lock:
            self.refusing = False
