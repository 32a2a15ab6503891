"""Running manage.py in a fresh process, with only the environment a deployment would give it."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "production-like-secret-for-checks",
    "ALLOWED_HOSTS": "surgeryday.example.org",
    "DATABASE_URL": "postgres://surgeryday@127.0.0.1:5432/surgeryday",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the variables a real deployment would have: nothing left over from the test run.
    inherited = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    base_env = {key: value for key, value in os.environ.items() if key in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env={**base_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
