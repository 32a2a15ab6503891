"""The embedded scheduler (`manage.py run_scheduler`) in a fresh process, as `make run` starts it.

In the test process every task module is already imported, which hides a job the command
cannot find on its own; so the command runs in a subprocess with its own SQLite database.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

from config.celery import app
from outbox.management.commands.run_scheduler import SWEEP_TASK

# Migrates a fresh database, writes an audit entry older than AUDIT_RETENTION_DAYS, runs
# one pass of the command's loop (the first sleep stops it) and reports what ran.
ONE_PASS = """
import json
from datetime import timedelta
from unittest import mock

import django

django.setup()
from celery.signals import task_postrun
from django.core.management import call_command
from django.utils import timezone

from people.models import AuditEntry, User

call_command("migrate", verbosity=0)
person = User.objects.create(email="audited@example.org", display_name="Audited")
AuditEntry.objects.create(subject=person, action="viewed", created_at=timezone.now() - timedelta(days=400))
ran = []
task_postrun.connect(lambda sender, **kwargs: ran.append(sender.name), weak=False)
with mock.patch("time.sleep", side_effect=KeyboardInterrupt):
    call_command("run_scheduler", "--interval", "1")
print(json.dumps({"ran": ran, "audit_entries": AuditEntry.objects.count()}))
"""


def test_run_scheduler_runs_every_periodic_job_in_a_fresh_process(tmp_path):
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    env = {
        **{key: value for key, value in os.environ.items() if key in keep},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path),
        "AUDIT_RETENTION_DAYS": "365",
        "LOG_LEVEL": "WARNING",
    }

    finished = subprocess.run(
        [sys.executable, "-c", ONE_PASS], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    periodic = {entry["task"] for entry in app.conf.beat_schedule.values()} - {SWEEP_TASK}
    assert "NotRegistered" not in finished.stderr
    assert sorted(set(report["ran"])) == sorted(periodic)
    assert report["audit_entries"] == 0
