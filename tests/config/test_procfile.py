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


def test_procfile_beat_starts_when_its_directory_does_not_exist_yet(tmp_path):
    var_dir = tmp_path / "fresh" / "var"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "VAR_DIR": str(var_dir),
        # A production database, so the settings do not make VAR_DIR for SQLite themselves.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
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
        deadline = time.monotonic() + 30
        while not list(var_dir.glob("celerybeat-schedule*")) and beat.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        schedule_files = list(var_dir.glob("celerybeat-schedule*"))
        still_running = beat.poll() is None
    finally:
        if beat.poll() is None:
            os.killpg(beat.pid, 9)
        beat.wait(timeout=10)

    assert schedule_files
    assert still_running
