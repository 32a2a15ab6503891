"""The benchmark's own stack on 127.0.0.1: a fresh database, a private Redis and gunicorn.

Each process is started in its own process group and stopped by the id recorded
when it started; nothing else is touched.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from demo import databases

BIN = Path(sys.executable).parent
GUNICORN_WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_database_url(database_url: str) -> str:
    """The given server's database with `_bench` appended: never the database itself, which is dropped."""
    try:
        return databases.beside(database_url, "_bench")
    except ValueError:
        raise ValueError("the web benchmark needs PostgreSQL: set DATABASE_URL or pass --database-url") from None


def production_env(*, database_url: str, redis_port: int, static_root: Path, secret_key: str) -> dict[str, str]:
    """What a deployment gives the web server (as .ci/run's deploy check and the stack test do),
    on plain HTTP at 127.0.0.1, with the bench URLconf that adds the trivial page."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "TZ"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "ROOT_URLCONF": "config.bench_urls",
        "WEB_CONCURRENCY": str(GUNICORN_WORKERS),
        # Access lines for thousands of requests would only fill the log.
        "LOG_LEVEL": "WARNING",
    }


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


class Processes:
    """Processes the benchmark started, each in its own group, stopped by their own ids."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 -- the child keeps it
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running[name] = process
        return process

    def stop_all(self) -> None:
        """SIGTERM each process group (gunicorn lets requests in flight finish), SIGKILL what is left."""
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.running.clear()


def wait_for_port(port: int, *, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before it listened")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f} s")


def start_redis(processes: Processes, port: int, env: dict[str, str]) -> None:
    """A private redis-server without persistence: the tasks the pages queue go nowhere else."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    wait_for_port(port, timeout=10, process=processes.start("redis", command, env))


def start_gunicorn(processes: Processes, port: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn with the deployment's config file and GUNICORN_WORKERS sync workers. Workers are not
    recycled after max_requests during the run, so no page's figures include a worker starting."""
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--max-requests", "0", "config.wsgi"]
    process = processes.start("gunicorn", command, {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"})
    wait_for_port(port, timeout=60, process=process)
    return process


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the processes whose parent is the master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_kib(pid: int) -> int:
    """VmRSS from /proc/<pid>/status, in KiB (0 when the process is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def collectstatic(env: dict[str, str]) -> None:
    """The manifest storage of production needs the hashed files before any page renders."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
