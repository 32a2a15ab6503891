"""Arranging past days for after-the-day tests.

Booking services refuse sessions in the past, so past sessions are written directly.
"""

from datetime import timedelta

from django.utils import timezone

from surgeries.models import Booking, DaySurgeon, Slot, SurgeryDay
from tests.factories import SurgeryDayFactory, UserFactory, local_datetime


def past_day(organisation, *, days_ago: int = 2, **fields) -> SurgeryDay:
    starts = local_datetime(timezone.now().date() - timedelta(days=days_ago), 10)
    fields.setdefault("status", SurgeryDay.Status.FINISHED)
    return SurgeryDayFactory(organisation=organisation, starts_at=starts, ends_at=starts + timedelta(hours=5), **fields)


def day_on(organisation, on, **fields) -> SurgeryDay:
    """A five-hour day from 10:00 Leeds time on the date `on`."""
    starts = local_datetime(on, 10)
    return SurgeryDayFactory(organisation=organisation, starts_at=starts, ends_at=starts + timedelta(hours=5), **fields)


def past_session(day: SurgeryDay, *, surgeon=None, learner=None, index: int = 0, topics=(), **booking) -> Booking:
    """One held session on `day`, `index` half-hours after it starts."""
    surgeon = surgeon or UserFactory()
    learner = learner or UserFactory()
    day_surgeon, _ = DaySurgeon.objects.get_or_create(day=day, person=surgeon)
    starts = day.starts_at + timedelta(minutes=30 * index)
    slot = Slot.objects.create(
        day=day, day_surgeon=day_surgeon, surgeon=surgeon, starts_at=starts, ends_at=starts + timedelta(minutes=30)
    )
    made = Booking.objects.create(day=day, slot=slot, learner=learner, surgeon=surgeon, **booking)
    made.topics.set(topics)
    return made
