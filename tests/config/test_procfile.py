"""`make serve` runs the Procfile with honcho: each line must start from a fresh clone."""

import os
import shutil
import subprocess
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_procfile_web_uses_the_deployment_gunicorn_config():
    assert "-c deploy/gunicorn.conf.py" in _procfile()["web"]


def test_procfile_beat_starts_on_a_fresh_clone_and_waits_for_redis(tmp_path):
    """Beat keeps its schedule in Redis, so it needs no writable directory, and one started
    before Redis answers stands by instead of exiting (honcho would stop everything)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "fresh" / "var"),
        # A production database, so the settings do not make VAR_DIR for SQLite themselves.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        # Nothing listens on port 9: Redis is not up yet.
        "REDIS_URL": "redis://127.0.0.1:9/0",
    }
    beat = subprocess.Popen(
        [shutil.which("bash"), "-c", _procfile()["beat"]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(8)
        still_running = beat.poll() is None
    finally:
        if beat.poll() is None:
            os.killpg(beat.pid, 9)
        beat.wait(timeout=10)

    assert still_running
