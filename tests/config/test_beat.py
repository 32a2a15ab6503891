"""Two Celery beats, as real processes against a private redis-server: one sends the
periodic jobs, the other stands by and takes over when the first is killed."""

import json
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app
from outbox.models import Notification
from outbox.services import notification_schedule
from surgeries.notifications import DAY_REMINDER
from tests.factories import SurgeryDayFactory, UserFactory
from tests.markers import needs_private_redis, needs_redis
from tests.workers import (
    CELERY,
    Processes,
    database_url,
    free_port,
    start_redis,
    wait_for,
    worker_environment,
)

pytestmark = [pytest.mark.redis, needs_redis, needs_private_redis]
SWEEP_TASK = "people.notifications.sweep"
ACQUIRED = b"beat: Acquired lock"


def _environment(tmp_path, *, redis_port: int, **extra: str) -> dict[str, str]:
    return worker_environment(
        redis_port=redis_port,
        VAR_DIR=str(tmp_path),
        NOTIFICATION_SWEEP_SECONDS="1",
        # The resume job would otherwise run again every minute and blur the counts.
        MATCHMAKING_CONFIRM_STALLED_SECONDS="7200",
        LOG_LEVEL="INFO",
        **extra,
    )


def _start_beats(processes: Processes) -> None:
    for name in ("beat-a", "beat-b"):
        processes.start(name, [CELERY, "-A", "config", "beat", "--loglevel", "INFO"])


def _log(processes: Processes, name: str) -> bytes:
    return (processes.log_dir / f"{name}-{processes.starts[name]}.log").read_bytes()


def _active_beat(processes: Processes, *, timeout: float) -> str:
    """The beat that took the lock; fails if both did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holders = [name for name in ("beat-a", "beat-b") if ACQUIRED in _log(processes, name)]
        assert len(holders) <= 1, "both beats took the lock"
        if holders:
            return holders[0]
        time.sleep(0.1)
    raise AssertionError("no beat took the lock")


def _queued_tasks(redis_port: int) -> Counter[str]:
    """Every task beat has queued and no worker has taken, by name, on every queue."""
    client = redis.Redis(host="127.0.0.1", port=redis_port)
    messages = [message for queue in settings.CELERY_TASK_QUEUES for message in client.lrange(queue, 0, -1)]
    return Counter(json.loads(message)["headers"]["task"] for message in messages)


def test_two_beats_queue_each_periodic_job_once_per_interval(tmp_path):
    """No worker runs, so every job beat sends stays queued in Redis to be counted. With
    the sweep every second, two beats both sending would queue about twice as many sweeps
    as seconds went by, and the hourly and daily jobs twice. Killing the active beat hands
    over to the other, which carries on from the runs recorded in Redis."""
    redis_port = free_port()
    processes = Processes(tmp_path, _environment(tmp_path, redis_port=redis_port, BEAT_LOCK_TIMEOUT_SECONDS="10"))
    began = time.monotonic()
    try:
        start_redis(processes, redis_port)
        _start_beats(processes)
        active = _active_beat(processes, timeout=30)
        time.sleep(8)
        processes.kill(active)
        killed_at = time.monotonic()
        standby = ({"beat-a", "beat-b"} - {active}).pop()
        wait_for(lambda: ACQUIRED in _log(processes, standby), timeout=40, what="the standby taking over", interval=0.2)
        took_over = time.monotonic() - killed_at
        time.sleep(4)
        queued = _queued_tasks(redis_port)
        seconds = time.monotonic() - began
    finally:
        processes.kill_all()

    others = {entry["task"] for entry in app.conf.beat_schedule.values()} - {SWEEP_TASK}
    print(f"\ntwo beats: {queued[SWEEP_TASK]} sweeps in {seconds:.0f} s, standby took over after {took_over:.0f} s")
    assert {task: queued[task] for task in others} == dict.fromkeys(others, 1)
    # A beat in charge for T seconds sends at most T + 1 sweeps (one as it takes charge,
    # then one a second), and two took charge in turn; none while the lock lapsed. Two
    # beats in charge together would send about twice as many.
    assert 5 <= queued[SWEEP_TASK] <= seconds - took_over + 2
    assert took_over <= 10 + settings.CELERY_BEAT_MAX_LOOP_INTERVAL + 2


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="worker subprocesses must share the test database, which needs PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_reminder_due_after_the_active_beat_is_killed_is_sent_by_the_standby(tmp_path):
    """With the default lock timeout, as in production."""
    redis_port = free_port()
    env = _environment(tmp_path, redis_port=redis_port, DATABASE_URL=database_url())
    processes = Processes(tmp_path, env)
    try:
        start_redis(processes, redis_port)
        processes.start("worker", [
            CELERY, "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", "standby@%h",
        ])  # fmt: skip
        _start_beats(processes)
        active = _active_beat(processes, timeout=30)
        processes.kill(active)
        killed_at = time.monotonic()
        reminder = notification_schedule(
            kind=DAY_REMINDER,
            recipient=UserFactory(),
            subject=SurgeryDayFactory(),
            slot="after-the-kill",
            due_at=timezone.now() + timedelta(seconds=2),
        )
        wait_for(
            lambda: Notification.objects.filter(pk=reminder.pk, state=Notification.State.SENT).exists(),
            timeout=60,
            what="sending the reminder",
            interval=0.2,
        )
        sent_after = time.monotonic() - killed_at
    finally:
        processes.kill_all()

    standby = ({"beat-a", "beat-b"} - {active}).pop()
    print(f"\nstandby beat: reminder sent {sent_after:.0f} s after the active beat was killed")
    assert ACQUIRED in _log(processes, standby)
    assert sent_after < 60
