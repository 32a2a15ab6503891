"""Two sweeps racing on PostgreSQL claim every due row exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from people.models import Notification
from people.notifications.sweep import sweep_due
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
