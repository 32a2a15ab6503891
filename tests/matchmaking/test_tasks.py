"""Matchmaking's booking job with real Celery: found by a fresh worker, run through Redis,
and finished after its worker is killed half way."""

import os
import subprocess
import sys
from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import reverse

from config.celery import app
from matchmaking.models import MatchProposal, ProposedPair
from matchmaking.services import confirm as confirming
from matchmaking.services import matchmaking_run
from matchmaking.services.confirm import BATCH_SIZE, proposal_confirm_start
from outbox.models import Notification
from surgeries.models import Booking
from surgeries.notifications import BOOKING_CONFIRMED
from tests.factories import add_request, add_surgeon, make_day, status_of
from tests.markers import needs_private_redis, needs_redis, needs_shared_database
from tests.workers import (
    CELERY,
    Processes,
    database_url,
    free_port,
    start_redis,
    wait_for,
    worker_command,
    worker_environment,
)

# Enough pairs for several batches (confirm books BATCH_SIZE pairs per transaction), so
# the kill after the first batch lands with most of the proposal still to book.
SURGEONS = 20
SLOTS_EACH = 10
KILL_AFTER = BATCH_SIZE


def _day_with_proposal(organisation, organiser, *, surgeons: int, slots_each: int):
    day, topics = make_day(organisation)
    for _ in range(surgeons):
        add_surgeon(day, offers={topics["Blogging"]: 2}, slots=slots_each, max_sessions=slots_each)
    for _ in range(surgeons * slots_each):
        add_request(day, topics={topics["Blogging"]: 1})
    return day, matchmaking_run(day=day, by=organiser).proposal


def test_a_fresh_worker_process_knows_the_booking_jobs_by_name():
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
    assert "'surgeries.matchmaking_confirm'" in tasks
    assert "'surgeries.matchmaking_confirm_resume'" in scheduled


@pytest.mark.redis
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_books_a_confirmed_proposal_through_redis(client, organisation, organiser):
    day, proposal = _day_with_proposal(organisation, organiser, surgeons=2, slots_each=1)
    client.force_login(organiser)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(reverse("matchmaking:confirm", args=[day.pk]), {"proposal_id": proposal.pk})
        wait_for(
            lambda: status_of(proposal) == MatchProposal.Status.CONFIRMED,
            timeout=30,
            what="the confirmation",
            interval=0.02,
        )

    page = client.get(response.url).content.decode()
    assert "2 of 2 pairs booked." in page
    assert Booking.objects.filter(day=day, status="active").count() == 2


@pytest.mark.redis
@needs_redis
@needs_shared_database
@needs_private_redis
@pytest.mark.django_db(transaction=True)
def test_confirmation_finishes_after_its_worker_is_killed_half_way(tmp_path, monkeypatch, organisation, organiser):
    """The job is never queued (as if the broker were away when the organiser pressed
    Confirm), so beat's resume queues it; the worker is killed with SIGKILL part way
    through; the resume queues it again for a new worker, which books the rest."""
    day, proposal = _day_with_proposal(organisation, organiser, surgeons=SURGEONS, slots_each=SLOTS_EACH)
    monkeypatch.setattr(confirming, "queue_confirm", lambda **kwargs: None)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    redis_port = free_port()
    processes = Processes(tmp_path, _environment(tmp_path, redis_port=redis_port))
    try:
        start_redis(processes, redis_port)
        processes.start("worker-1", _worker_command(1))
        processes.start("beat", [CELERY, "-A", "config", "beat", "--loglevel", "WARNING", "-s", str(tmp_path / "beat")])
        wait_for(lambda: _booked(proposal) >= KILL_AFTER, timeout=60, what="the first bookings", interval=0.02)
        processes.kill("worker-1")
        booked_when_killed = _booked(proposal)
        processes.start("worker-2", _worker_command(2))
        wait_for(
            lambda: status_of(proposal) == MatchProposal.Status.CONFIRMED,
            timeout=120,
            what="the confirmation",
            interval=0.02,
        )
    finally:
        processes.kill_all()

    proposal.refresh_from_db()
    pairs = SURGEONS * SLOTS_EACH
    learners = list(Booking.objects.filter(day=day, status="active").values_list("learner_id", flat=True))
    told = Counter(Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True))
    print(f"\nkilled the worker after {booked_when_killed} of {pairs} pairs; the second worker booked the rest")
    assert KILL_AFTER <= booked_when_killed < pairs
    assert (proposal.pairs_booked, proposal.pairs_not_booked) == (pairs, 0)
    assert len(learners) == len(set(learners)) == pairs
    assert told == Counter(dict.fromkeys(learners, 1))


def _environment(tmp_path, *, redis_port: int) -> dict[str, str]:
    return worker_environment(
        redis_port=redis_port,
        DATABASE_URL=database_url(),
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        VAR_DIR=str(tmp_path),
        MATCHMAKING_CONFIRM_STALLED_SECONDS="2",
        LOG_LEVEL="WARNING",
    )


def _worker_command(index: int) -> list[str]:
    return worker_command(hostname=f"confirm{index}", concurrency=1)


def _booked(proposal) -> int:
    return ProposedPair.objects.filter(proposal=proposal, outcome=ProposedPair.Outcome.BOOKED).count()
