"""The after-the-day jobs are known by their names to a fresh worker and to the beat."""

import os
import subprocess
import sys

from django.conf import settings


def test_a_fresh_worker_process_knows_the_after_the_day_jobs_by_name():
    code = (
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(app.tasks))\n"
        "print(sorted(entry['task'] for entry in app.conf.beat_schedule.values()))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}

    done = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )

    tasks, scheduled = done.stdout.splitlines()[-2:]
    # The workshops' former job stays known for messages already queued under its name.
    for name in ("surgeries.retention", "surgeries.feedback_requests", "workshops.feedback_requests"):
        assert f"'{name}'" in tasks
    assert "'surgeries.feedback_requests'" in scheduled
    assert "'workshops.feedback_requests'" not in scheduled
