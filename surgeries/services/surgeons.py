"""Surgeons joining a day and setting availability; slots follow from both."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from people.models import Membership, User
from people.selectors import active_topics_of, is_organiser
from surgeries import errors
from surgeries.models import AvailabilityWindow, Booking, DaySurgeon, Slot, SurgeryDay
from surgeries.services.locking import lock_slots
from surgeries.services.waiting import waiting_list_promote

Window = tuple[datetime, datetime]


def slot_starts(*, windows: Sequence[Window], breaks: Sequence[Window], length: timedelta) -> list[Window]:
    """Cut windows into back-to-back slots of `length`, jumping over breaks.

    A slot never straddles a break or the end of its window; leftover minutes
    at the end of a window are simply not offered.
    """
    slots: list[Window] = []
    for window_start, window_end in sorted(windows):
        start = window_start
        while start + length <= window_end:
            end = start + length
            clash = next((b for b in sorted(breaks) if b[0] < end and b[1] > start), None)
            if clash:
                start = clash[1]
                continue
            slots.append((start, end))
            start = end
    return slots


def _check_windows(*, day: SurgeryDay, windows: Sequence[Window]) -> None:
    ordered = sorted(windows)
    for start, end in ordered:
        if end <= start:
            raise errors.SurgeryError("Each time you are free must end after it starts.")
        if start < day.starts_at or end > day.ends_at:
            raise errors.SurgeryError("Times you are free must be within the day.")
    for (_, first_end), (second_start, _) in pairwise(ordered):
        if second_start < first_end:
            raise errors.SurgeryError("The times you are free overlap. Please combine them into one.")


@transaction.atomic
def surgeon_join(*, day: SurgeryDay, person: User, by: User, max_sessions: int = 6) -> DaySurgeon:
    """Add a surgeon to a day: invited by an organiser, or opting in where the day allows it."""
    existing = DaySurgeon.objects.filter(day=day, person=person).first()
    if existing:
        return existing
    if by.pk != person.pk:
        if not is_organiser(user=by, organisation=day.organisation):
            raise errors.NotAllowed()
        joined_via = DaySurgeon.JoinedVia.INVITED
    else:
        member = Membership.objects.filter(organisation=day.organisation, person=person).exists()
        if not (day.surgeons_may_opt_in and member) and not is_organiser(user=by, organisation=day.organisation):
            raise errors.NotAllowed("Only people invited by the organisers can help as surgeons on this day.")
        joined_via = DaySurgeon.JoinedVia.OPTED_IN
    if day.is_closed():
        raise errors.DayError("This day is over or cancelled.")
    day_surgeon = DaySurgeon(day=day, person=person, joined_via=joined_via, max_sessions=max_sessions)
    day_surgeon.full_clean()
    day_surgeon.save()
    return day_surgeon


def _bookings_dropped(*, slots: Iterable[Slot], keep: set[Window]) -> list[Booking]:
    dropped = [slot.pk for slot in slots if (slot.starts_at, slot.ends_at) not in keep]
    return list(
        Booking.objects.filter(slot_id__in=dropped, status=Booking.Status.ACTIVE)
        .select_related("slot", "learner")
        .order_by("slot__starts_at")
    )


def _sync_slots(*, day_surgeon: DaySurgeon, existing: dict[int, Slot], wanted: list[Window]) -> list[Slot]:
    """Offer exactly the wanted slots; withdraw the rest. Returns newly offered slots."""
    by_start = {slot.starts_at: slot for slot in existing.values()}
    wanted_ends = dict(wanted)
    newly_offered = []
    for slot in existing.values():
        offered = slot.starts_at in wanted_ends
        # A new session length keeps the start; only unbooked slots get here with a new end.
        if slot.is_offered != offered or (offered and slot.ends_at != wanted_ends[slot.starts_at]):
            if offered and not slot.is_offered:
                newly_offered.append(slot)
            slot.is_offered = offered
            slot.ends_at = wanted_ends.get(slot.starts_at, slot.ends_at)
            slot.save(update_fields=["is_offered", "ends_at"])
    for start, end in wanted:
        if start not in by_start:
            slot = Slot(
                day=day_surgeon.day, day_surgeon=day_surgeon, surgeon=day_surgeon.person, starts_at=start, ends_at=end
            )
            slot.full_clean(validate_constraints=False)
            slot.save()
            newly_offered.append(slot)
    return newly_offered


@transaction.atomic
def availability_set(*, day_surgeon: DaySurgeon, by: User, windows: Sequence[Window], max_sessions: int) -> DaySurgeon:
    """Replace a surgeon's availability on a day and regenerate their slots.

    1. Only the surgeon or an organiser may change it; windows must fit the day.
    2. Lock the surgeon's slots (bookings wait for us, and we for them).
    3. Refuse the change if it would drop a booked slot or go below the sessions
       already booked: the message lists what is affected, nothing is saved.
    4. Save windows, offer and withdraw slots, and give new slots to the waiting list.
    """
    day = SurgeryDay.objects.select_related("organisation").get(pk=day_surgeon.day_id)
    if by.pk != day_surgeon.person_id and not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    _check_windows(day=day, windows=windows)
    existing = lock_slots(Slot.objects.filter(day_surgeon=day_surgeon).values_list("pk", flat=True))
    breaks = list(day.breaks.values_list("starts_at", "ends_at"))
    wanted = slot_starts(windows=windows, breaks=breaks, length=timedelta(minutes=day.slot_minutes))
    dropped = _bookings_dropped(slots=existing.values(), keep=set(wanted))
    if dropped:
        raise errors.AvailabilityConflict(
            "This change would remove sessions people have booked. Please ask an organiser to move them first.",
            bookings=dropped,
        )
    booked = Booking.objects.filter(slot__day_surgeon=day_surgeon, status=Booking.Status.ACTIVE).count()
    if max_sessions < max(booked, 1):
        raise errors.AvailabilityConflict(
            f"You already have {booked} sessions booked, so the most sessions cannot be fewer than that."
        )
    day_surgeon.max_sessions = max_sessions
    day_surgeon.full_clean()
    day_surgeon.save(update_fields=["max_sessions"])
    day_surgeon.windows.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(day_surgeon=day_surgeon, starts_at=s, ends_at=e) for s, e in windows
    )
    for slot in _sync_slots(day_surgeon=day_surgeon, existing=existing, wanted=wanted):
        waiting_list_promote(slot=slot)
    return day_surgeon


@transaction.atomic
def surgeon_topics_set(*, day_surgeon: DaySurgeon, topic_ids: Iterable[int]) -> None:
    day_surgeon.topics.set(
        active_topics_of(organisation_id=day_surgeon.day.organisation_id).filter(pk__in=list(topic_ids))
    )


@transaction.atomic
def surgeon_online_set(*, day_surgeon: DaySurgeon, by: User, is_online: bool, video_link: str) -> DaySurgeon:
    """Mark a surgeon's sessions online or in person (on a hybrid day) and set their own video link.

    The surgeon or an organiser may. Whether sessions are online only counts on a
    hybrid day (on an online day all are, on an in-person day none), so elsewhere
    the choice is kept as it was. Saving bumps the day version, so the day page's
    "Online"/"In person" labels change at once.
    """
    day = SurgeryDay.objects.select_related("organisation").get(pk=day_surgeon.day_id)
    if by.pk != day_surgeon.person_id and not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    day_surgeon = DaySurgeon.objects.select_for_update().get(pk=day_surgeon.pk)
    if day.mode == SurgeryDay.Mode.HYBRID:
        if is_online != day_surgeon.is_online:
            _check_nobody_booked_to_meet_otherwise(day_surgeon)
        day_surgeon.is_online = is_online
    day_surgeon.video_link = video_link
    day_surgeon.full_clean()
    day_surgeon.save(update_fields=["is_online", "video_link"])
    return day_surgeon


def _check_nobody_booked_to_meet_otherwise(day_surgeon: DaySurgeon) -> None:
    """Switching sessions between online and in person would send people booked on
    them to the wrong place, and nothing tells them: refused while any are booked."""
    booked = Booking.objects.filter(
        slot__day_surgeon=day_surgeon, status=Booking.Status.ACTIVE, slot__starts_at__gt=timezone.now()
    ).count()
    if booked:
        people = "1 person is" if booked == 1 else f"{booked} people are"
        raise errors.DayError(
            f"{people} booked to meet as the sessions are now, and would not be told of the change. "
            "Move or cancel their sessions first, then change how the sessions happen."
        )
