"""Settings are read at start-up, so each case runs Django in a fresh process."""

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


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
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


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_misspelt_boolean_stops_start_up():
    result = _run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_production_settings_pass_deploy_checks():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
