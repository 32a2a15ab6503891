"""Real parts, real faults: nothing lost, nothing doubled, nothing sent for a cancelled day.

Two Celery workers and one beat run as subprocesses against a private redis-server
(no persistence, so a restart loses every queued message) and the test database.
Mail goes to an SMTP sink on loopback that counts deliveries per Message-ID.
240 reminders fall due over 30 seconds; meanwhile every worker is killed with
SIGKILL twice, Redis is killed and restarted, and two days are cancelled (one
through the service, one by its status alone, as if the cancellation raced the
sweep). Every reminder of a live day must arrive exactly once, and none of a
cancelled day.

One duplicate window cannot be closed by any outbox: the SMTP server has accepted
a message but the worker dies before it marks the row sent (see docs/reminders.md).
To test everything else deterministically, the sink answers "451 try again" for a
moment around each kill and only kills once no accepted message is younger than
FRESH_ACCEPT_SECONDS, so a kill never lands inside that window by chance.
"""

import logging
import time
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from outbox.emails import message_id_for
from outbox.models import Notification
from outbox.services import notification_schedule
from people.models import User
from surgeries.models import SurgeryDay
from surgeries.notifications import DAY_REMINDER, day_cancellation_notify
from tests.factories import OrganisationFactory, SurgeryDayFactory, VenueFactory
from tests.markers import REAL_WORKERS
from tests.workers import (
    CELERY,
    CountingSink,
    Processes,
    database_url,
    free_port,
    start_redis,
    wait_for,
    worker_command,
    worker_environment,
)

pytestmark = REAL_WORKERS

ROWS = 240
LIVE_DAYS = 10
WINDOW_SECONDS = 30
LEAD_SECONDS = 6
LEASE_SECONDS = 6


def _worker_command(index: int) -> list[str]:
    return worker_command(hostname=f"fault{index}", concurrency=4)


def _environment(*, redis_port: int, smtp_port: int) -> dict[str, str]:
    return worker_environment(
        redis_port=redis_port,
        DATABASE_URL=database_url(),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="5",
        NOTIFICATION_SWEEP_SECONDS="1",
        NOTIFICATION_LEASE_SECONDS=str(LEASE_SECONDS),
        NOTIFICATION_RETRY_SECONDS="1",
        LOG_LEVEL="WARNING",
    )


def _schedule_reminders() -> tuple[list[SurgeryDay], dict[int, SurgeryDay]]:
    """240 reminders due over WINDOW_SECONDS. The two days cancelled later only have
    reminders in the second half, so cancelling them at mid-window races nothing."""
    organisation = OrganisationFactory()
    venue = VenueFactory(organisation=organisation)
    days = SurgeryDayFactory.create_batch(LIVE_DAYS + 2, organisation=organisation, venue=venue)
    people = User.objects.bulk_create(User(email=f"fault{n}@example.org", display_name=f"Fault {n}") for n in range(20))
    first_due = timezone.now() + timedelta(seconds=LEAD_SECONDS)
    subject_of = {}
    for index in range(ROWS):
        late_third = index >= ROWS // 2 and index % 3 == 0
        day = days[LIVE_DAYS + index % 2] if late_third else days[index % LIVE_DAYS]
        row = notification_schedule(
            kind=DAY_REMINDER,
            recipient=people[index % len(people)],
            subject=day,
            slot=f"fault-{index}",
            due_at=first_due + timedelta(seconds=WINDOW_SECONDS * index / ROWS),
        )
        subject_of[row.pk] = day
    return days, subject_of


def _kill_workers(processes: Processes, sink: CountingSink) -> None:
    sink.quiet()
    processes.kill("worker-1")
    processes.kill("worker-2")
    sink.resume()
    processes.start("worker-1", _worker_command(1))
    processes.start("worker-2", _worker_command(2))


def _at(start: float, second: float) -> None:
    time.sleep(max(0.0, start + second - time.monotonic()))


@pytest.mark.django_db(transaction=True)
def test_reminders_survive_killed_workers_and_a_redis_restart(tmp_path):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sink's own chatter
    sink = CountingSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    redis_port = free_port()
    processes = Processes(tmp_path, _environment(redis_port=redis_port, smtp_port=smtp.port))
    smtp.start()
    began = time.monotonic()
    try:
        start_redis(processes, redis_port)
        days, subject_of = _schedule_reminders()
        processes.start("worker-1", _worker_command(1))
        processes.start("worker-2", _worker_command(2))
        processes.start("beat", [CELERY, "-A", "config", "beat", "--loglevel", "WARNING", "-s", str(tmp_path / "beat")])

        _at(began, LEAD_SECONDS + 4)
        _kill_workers(processes, sink)
        _at(began, LEAD_SECONDS + 8)
        SurgeryDay.objects.filter(pk__in=[days[LIVE_DAYS].pk, days[LIVE_DAYS + 1].pk]).update(
            status=SurgeryDay.Status.CANCELLED
        )
        day_cancellation_notify(day=days[LIVE_DAYS], recipients=[])
        _at(began, LEAD_SECONDS + 11)
        processes.kill("redis")
        start_redis(processes, redis_port)
        _at(began, LEAD_SECONDS + 18)
        _kill_workers(processes, sink)

        expected = {message_id_for(notification_id=pk) for pk, day in subject_of.items() if day in days[:LIVE_DAYS]}
        wait_for(
            lambda: expected <= set(sink.deliveries), timeout=120, what="every notification arriving", interval=0.2
        )
        # Long enough for any stray claim to lapse and be swept again, if it were going to double.
        time.sleep(LEASE_SECONDS + 3)
        seconds = time.monotonic() - began
        beat_survived = processes.running["beat"].poll() is None
    finally:
        processes.kill_all()
        smtp.stop()

    live_days = days[:LIVE_DAYS]
    cancelled_ids = {message_id_for(notification_id=pk) for pk, day in subject_of.items() if day not in live_days}
    delivered = sum(1 for message_id in expected if sink.deliveries[message_id] >= 1)
    duplicates = sum(count - 1 for count in sink.deliveries.values() if count > 1)
    cancelled_sent = sum(sink.deliveries[message_id] for message_id in cancelled_ids)
    states = Counter(Notification.objects.values_list("state", flat=True))
    print(
        f"\nfault test: {delivered}/{len(expected)} delivered, {duplicates} duplicates, "
        f"{cancelled_sent} of {len(cancelled_ids)} cancelled sent, {sink.refused} refused with 451 during kills, "
        f"worker starts {processes.starts['worker-1'] + processes.starts['worker-2']}, "
        f"redis starts {processes.starts['redis']}, {seconds:.0f} s, states {dict(states)}"
    )
    assert (delivered, duplicates, cancelled_sent) == (len(expected), 0, 0)
    assert beat_survived, "the one beat should ride out the Redis restart"
    assert set(sink.deliveries) == expected
    assert states == {Notification.State.SENT: len(expected), Notification.State.CANCELLED: len(cancelled_ids)}
