"""Reads about surgery days."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from people.models import User
from people.selectors import organisations_organised_by
from surgeries.models import Booking, DaySurgeon, SurgeonWithdrawal, SurgeryDay, WaitingListEntry
from surgeries.selectors.slots import free_slots


def upcoming_published_days(*, now: datetime | None = None) -> QuerySet[SurgeryDay]:
    """Published days that have not ended yet, soonest first."""
    now = now or timezone.now()
    return (
        SurgeryDay.objects.accepting_requests(now).select_related("venue", "organisation").order_by("starts_at", "id")
    )


def days_organised_by(*, user: User) -> QuerySet[SurgeryDay]:
    """Every day, in any state, of the organisations this person organises."""
    return (
        SurgeryDay.objects.filter(organisation__in=organisations_organised_by(user=user))
        .select_related("venue", "organisation")
        .order_by("-starts_at", "id")
    )


@dataclass(frozen=True)
class MyPartInDay:
    """What the signed-in person already has on a day: shown on the day page."""

    bookings: list[Booking]
    waiting: bool
    is_surgeon: bool


def my_part_in_day(*, day: SurgeryDay, person: User) -> MyPartInDay:
    """Three queries: their active bookings as a learner, their waiting-list place, their surgeon row."""
    bookings = Booking.objects.filter(day=day, learner=person, status=Booking.Status.ACTIVE)
    waiting = WaitingListEntry.objects.filter(day=day, person=person, status=WaitingListEntry.Status.WAITING)
    return MyPartInDay(
        bookings=list(bookings.select_related("slot", "surgeon")),
        waiting=waiting.exists(),
        is_surgeon=day_surgeon_of(day=day, person=person) is not None,
    )


def day_surgeon_of(*, day: SurgeryDay, person: User) -> DaySurgeon | None:
    """The person's place as a surgeon on the day, or None."""
    return DaySurgeon.objects.filter(day=day, person=person).select_related("person").first()


def withdrawals_of(*, day: SurgeryDay) -> QuerySet[SurgeonWithdrawal]:
    """Surgeons who said they cannot come, and what happened to their learners, oldest first."""
    return SurgeonWithdrawal.objects.filter(day=day).select_related("day_surgeon__person", "slot")


def publish_warnings(*, day: SurgeryDay) -> list[str]:
    """Why publishing this day now may disappoint people: no surgeons, or nothing free to book.

    The organiser may publish anyway (to open the waiting list, or invite surgeons later).
    """
    if not DaySurgeon.objects.filter(day=day).exists():
        return ["No surgeons have joined this day yet, so nobody can book a one-to-one session."]
    if not free_slots(day=day):
        return ["No session is free to book: the surgeons have not given their times yet, or every session is taken."]
    return []
