"""Upgrading a database made while the outbox's models belonged to people."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from outbox.models import Notification, NotificationPreference, SweepHeartbeat
from surgeries.models import SurgeryDay
from surgeries.notifications import DAY_REMINDER, HOUR_BEFORE
from tests.factories import SurgeryDayFactory, UserFactory
from tests.migrations import migrate_to, migrate_to_latest

BEFORE_THE_MOVE = [("people", "0005_health_heartbeat_and_database_identity"), ("outbox", None)]


@pytest.mark.django_db(transaction=True)
def test_outbox_rows_made_before_the_move_are_read_and_sent_through_the_outbox_app():
    day = SurgeryDayFactory()
    learner = UserFactory()
    day_type = ContentType.objects.get_for_model(SurgeryDay)
    old_type = ContentType.objects.get_for_model(Notification)
    due_at = timezone.now() + timedelta(hours=1)
    executor = migrate_to(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps
    OldNotification = old_apps.get_model("people", "Notification")
    old = OldNotification.objects.create(
        kind=DAY_REMINDER,
        recipient_id=learner.pk,
        subject_type_id=day_type.pk,
        subject_id=day.pk,
        scope_type_id=day_type.pk,
        scope_id=day.pk,
        slot=HOUR_BEFORE,
        due_at=due_at,
    )
    old_apps.get_model("people", "NotificationPreference").objects.create(
        person_id=learner.pk, non_essential_enabled=False
    )
    old_apps.get_model("people", "SweepHeartbeat").objects.create(id=SweepHeartbeat.ROW_ID, swept_at=due_at)
    # Databases made before the move hold people's content type rows for these models.
    ContentType.objects.filter(pk=old_type.pk).update(app_label="people")

    migrate_to_latest()

    row = Notification.objects.get(pk=old.pk)
    assert (row.kind, row.recipient_id, row.subject, row.slot, row.state) == (
        DAY_REMINDER,
        learner.pk,
        day,
        HOUR_BEFORE,
        Notification.State.PENDING,
    )
    assert row.due_at == due_at
    assert not NotificationPreference.objects.get(person=learner).non_essential_enabled
    assert SweepHeartbeat.objects.get(id=SweepHeartbeat.ROW_ID).swept_at == due_at
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Notification).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="people", model="notification").exists()
