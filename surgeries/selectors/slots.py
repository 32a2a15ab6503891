"""Reads about slots: what is free, and the programme of a day."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from surgeries.models import Booking, Commitment, DaySurgeon, Slot, SurgeryDay
from surgeries.models.booking import overlaps_any


def free_slots(*, day: SurgeryDay, now: datetime | None = None, exclude_person_id: int | None = None) -> list[Slot]:
    """Slots someone could book now: offered, not started, not booked, surgeon free.

    Four queries whatever the size of the day (one if nothing is free): the slots,
    the day's surgeons with the sessions each already has, their topics, and the
    surgeons' commitments. Each surgeon is loaded once and shared by their slots, so
    a day of a thousand slots makes a few hundred objects, not thousands.
    """
    now = now or timezone.now()
    slots = list(
        Slot.objects.filter(day=day, is_offered=True, starts_at__gt=now)
        .exclude(bookings__status=Booking.Status.ACTIVE)
        .order_by("starts_at", "surgeon__display_name", "id")
    )
    if not slots:
        return []
    active = Q(slots__bookings__status=Booking.Status.ACTIVE)
    surgeons = {
        day_surgeon.pk: day_surgeon
        for day_surgeon in DaySurgeon.objects.filter(day=day)
        .select_related("person")
        .prefetch_related("topics")
        .annotate(taken=Count("slots__bookings", filter=active))
    }
    busy = busy_times(day=day, person_ids={slot.surgeon_id for slot in slots})
    free = []
    for slot in slots:
        day_surgeon = surgeons[slot.day_surgeon_id]
        if (
            slot.surgeon_id != exclude_person_id
            and day_surgeon.taken < day_surgeon.max_sessions
            and not overlaps_any(busy[slot.surgeon_id], slot.starts_at, slot.ends_at)
        ):
            # The day too, so whether a slot is online is known without a query per slot.
            slot.day = day_surgeon.day = day
            slot.day_surgeon, slot.surgeon = day_surgeon, day_surgeon.person
            free.append(slot)
    return free


def busy_times(*, day: SurgeryDay, person_ids: Iterable[int]) -> defaultdict[int, list[tuple[datetime, datetime]]]:
    """When each person already has something on during the day (sessions, workshops): one query."""
    busy: defaultdict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    commitments = Commitment.objects.overlapping(person_ids, day.starts_at, day.ends_at)
    for person_id, start, end in commitments.values_list("person_id", "starts_at", "ends_at"):
        busy[person_id].append((start, end))
    return busy


@dataclass
class ProgrammeRow:
    """One surgeon's line in the programme: every offered slot and its booking, if any."""

    day_surgeon: DaySurgeon
    cells: list[tuple[Slot, Booking | None]] = field(default_factory=list)


def programme(*, day: SurgeryDay, day_surgeon_ids: list[int] | None = None) -> list[ProgrammeRow]:
    """The day's timeline, surgeon by surgeon (only those in `day_surgeon_ids` if given,
    for one page of a big day), in three queries: surgeons, their slots, the bookings.

    Slots and bookings are read flat and put together here: a prefetch per slot
    costs more than the rows themselves on a day with a thousand slots.
    """
    day_surgeons = DaySurgeon.objects.filter(day=day)
    if day_surgeon_ids is not None:
        day_surgeons = day_surgeons.filter(pk__in=day_surgeon_ids)
    rows = {
        day_surgeon.pk: ProgrammeRow(day_surgeon=day_surgeon)
        for day_surgeon in day_surgeons.select_related("person").order_by("person__display_name", "id")
    }
    if not rows:
        return []
    slots = Slot.objects.filter(day=day, is_offered=True, day_surgeon_id__in=list(rows)).order_by("starts_at", "id")
    active = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE, slot__in=slots.values("pk"))
    booking_of = {booking.slot_id: booking for booking in active.select_related("learner")}
    for slot in slots:
        rows[slot.day_surgeon_id].cells.append((slot, booking_of.get(slot.pk)))
    return list(rows.values())
