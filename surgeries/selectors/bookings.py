"""Reads about bookings: a person's own, a surgeon's day sheet, the desk."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from people.models import User
from people.phones import phone_for_display
from surgeries.models import Booking, DaySurgeon, Slot, SurgeryDay, WaitingListEntry
from surgeries.selectors.video import session_video


def _with_related(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related(
        "slot__day_surgeon", "learner", "surgeon", "day__venue", "day__organisation"
    ).prefetch_related("topics")


def _for_a_person(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    """What "My bookings" and a calendar show of a booking: its time, the other person and the
    venue, and whether it is online. No topics and no organisation: neither page shows them,
    and each costs a request its share of the work (a query, a join)."""
    return queryset.select_related("slot__day_surgeon", "learner", "surgeon", "day__venue")


@dataclass
class MyBookings:
    upcoming: list[Booking]
    past: list[Booking]
    waiting: list[WaitingListEntry]


def my_bookings(*, person: User, now: datetime | None = None) -> MyBookings:
    """Every session a person is booked into, as learner or as surgeon; cancelled ones too.

    programme/agenda.py adds their workshop places for "My bookings"."""
    now = now or timezone.now()
    bookings = list(
        _for_a_person(Booking.objects.filter(Q(learner=person) | Q(surgeon=person)))
        .filter(Q(status=Booking.Status.ACTIVE) | Q(learner=person))
        .order_by("slot__starts_at", "id")
    )
    waiting = list(
        WaitingListEntry.objects.filter(person=person, status=WaitingListEntry.Status.WAITING, day__ends_at__gt=now)
        .select_related("day__venue")
        .order_by("day__starts_at")
    )
    upcoming = [b for b in bookings if b.slot.ends_at > now]
    for booking in upcoming:
        # Cancelled ones stay listed for the learner, but are no way into the call.
        booking.video = session_video(booking=booking, viewer_id=person.pk, now=now) if booking.is_active else None
    return MyBookings(
        upcoming=upcoming,
        past=[b for b in reversed(bookings) if b.slot.ends_at <= now],
        waiting=waiting,
    )


def calendar_bookings(*, person: User) -> QuerySet[Booking]:
    """Active bookings for a calendar feed, learner or surgeon, from a month ago on."""
    since = timezone.now() - timedelta(days=31)
    return _for_a_person(
        Booking.objects.filter(Q(learner=person) | Q(surgeon=person), status=Booking.Status.ACTIVE)
        .filter(slot__ends_at__gte=since)
        .order_by("slot__starts_at")
    )


def day_bookings(*, day: SurgeryDay) -> QuerySet[Booking]:
    """Active bookings on a day for the desk, in time order."""
    return _with_related(Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)).order_by(
        "slot__starts_at", "surgeon__display_name"
    )


def surgeon_sessions(*, day_surgeon: DaySurgeon) -> QuerySet[Booking]:
    return _with_related(Booking.objects.filter(slot__day_surgeon=day_surgeon, status=Booking.Status.ACTIVE)).order_by(
        "slot__starts_at"
    )


def sessions_to_withdraw(*, day_surgeon: DaySurgeon, slot: Slot | None = None) -> QuerySet[Booking]:
    """The learners a surgeon's withdrawal would move: the one session's, or every one still to come."""
    sessions = surgeon_sessions(day_surgeon=day_surgeon).filter(slot__starts_at__gt=timezone.now())
    return sessions.filter(slot=slot) if slot is not None else sessions


def waiting_list(*, day: SurgeryDay) -> QuerySet[WaitingListEntry]:
    return (
        WaitingListEntry.objects.filter(day=day, status=WaitingListEntry.Status.WAITING)
        .select_related("person")
        .prefetch_related("topics")
        .order_by("created_at", "id")
    )


def with_video(bookings, *, viewer_id: int, organiser: bool, now: datetime) -> list[Booking]:
    """`bookings` as a list, each with `.video`: its video link as the viewer may see it now (or None)."""
    rows = list(bookings)
    for booking in rows:
        booking.video = session_video(booking=booking, viewer_id=viewer_id, now=now, organiser=organiser)
    return rows


def number_given_for(booking: Booking) -> str:
    """The learner's phone number as the day's organisers may see it beside this booking.

    Only on a booking an organiser made for them with their consent (`on_behalf`):
    that is what they agreed to. A number given to another organisation, or kept from
    an earlier booking, is not shown beside a session they booked themselves.
    """
    return phone_for_display(booking.learner.phone) if booking.on_behalf else ""
