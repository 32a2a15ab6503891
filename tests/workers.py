"""Shared harness for tests that run real Celery workers, beat and a private Redis as subprocesses."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection

CELERY = str(Path(sys.executable).parent / "celery")


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

    def start(self, name: str, command: list[str]) -> None:
        self.starts[name] += 1
        log = open(self.log_dir / f"{name}-{self.starts[name]}.log", "wb")  # noqa: SIM115
        self.running[name] = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
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


def database_url() -> str:
    """The test database, for subprocesses that must share it (PostgreSQL only)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
