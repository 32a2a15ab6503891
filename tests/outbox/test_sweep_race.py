"""Two sweeps racing on PostgreSQL claim every due row exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from outbox.models import Notification
from outbox.sweep import due_filter, sweep_due
from surgeries.notifications import DAY_REMINDER
from tests.factories import SurgeryDayFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (no SELECT ... FOR UPDATE SKIP LOCKED); set DATABASE_URL to PostgreSQL",
    ),
]

ROWS = 300


def _due_rows(count: int) -> None:
    day = SurgeryDayFactory()
    recipient = UserFactory()
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            kind=DAY_REMINDER,
            recipient=recipient,
            slot=f"test-{index}",
            subject=day,
            scope_type=Notification.subject.get_content_type(obj=day),
            scope_id=day.pk,
            due_at=now - timedelta(seconds=index),
        )
        for index in range(count)
    )


def _sweeper(start: threading.Barrier, claimed: list[int]) -> None:
    try:
        start.wait()
        # Small batches make the two sweeps interleave many times.
        while sweep_due(dispatch=lambda ids, token: claimed.extend(ids), batch_size=10):
            pass
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_racing_sweeps_claim_each_due_row_once():
    _due_rows(ROWS)
    start = threading.Barrier(2)
    first, second = [], []
    threads = [threading.Thread(target=_sweeper, args=(start, claimed)) for claimed in (first, second)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(first) + len(second) == ROWS
    assert set(first) & set(second) == set()
    assert set(first) | set(second) == set(Notification.objects.values_list("id", flat=True))
    assert Notification.objects.filter(state=Notification.State.SENDING).count() == ROWS


def _hold_claim(holding: threading.Event, release: threading.Event, held: list[int]) -> None:
    """Lock every due row as a sweep does in step 1, then wait before committing."""
    try:
        with transaction.atomic():
            rows = Notification.objects.select_for_update(skip_locked=True).filter(due_filter(now=timezone.now()))
            held.extend(rows.values_list("id", flat=True))
            holding.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_a_second_sweep_would_see_rows_already_being_claimed():
    _due_rows(20)
    holding, release, held = threading.Event(), threading.Event(), []
    other = threading.Thread(target=_hold_claim, args=(holding, release, held))
    other.start()
    holding.wait(timeout=30)

    # A plain read, as a lock-less sweep would do, sees all the rows the other sweep is claiming...
    unlocked_view = list(Notification.objects.filter(due_filter(now=timezone.now())).values_list("id", flat=True))
    # ...while the real sweep skips them instead of claiming them a second time.
    claimed = []
    sweep_due(dispatch=lambda ids, token: claimed.extend(ids))
    release.set()
    other.join(timeout=30)

    assert len(held) == 20
    assert sorted(unlocked_view) == sorted(held)
    assert claimed == []
