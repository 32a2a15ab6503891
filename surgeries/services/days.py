"""Organisers planning, publishing and cancelling surgery days."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from people.models import Organisation, User
from people.selectors import is_organiser
from surgeries import errors, signals
from surgeries.day_version import bump_day_version
from surgeries.models import (
    DEFAULT_LINK_SHOWN_MINUTES_BEFORE,
    Booking,
    Commitment,
    DayBreak,
    Slot,
    SurgeryDay,
    Venue,
    WaitingListEntry,
    default_reminder_offsets,
)
from surgeries.notifications import day_cancelled_notify_everyone, day_notifications_reschedule
from surgeries.services.locking import lock_slots
from surgeries.services.surgeons import availability_set
from surgeries.services.waiting import waiting_entries_end


@dataclass
class DayDetails:
    """Everything an organiser sets on a day. Times are UTC."""

    title: str
    venue: Venue
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    mode: str = SurgeryDay.Mode.IN_PERSON
    online_link: str = ""
    link_shown_minutes_before: int = DEFAULT_LINK_SHOWN_MINUTES_BEFORE
    slot_minutes: int = 30
    booking_opens_at: datetime | None = None
    booking_closes_at: datetime | None = None
    cancellation_cutoff_hours: int = 2
    max_sessions_per_learner: int | None = None
    safeguarding_contact: str = ""
    surgeons_may_opt_in: bool = False
    reminder_offsets_minutes: list[int] = field(default_factory=default_reminder_offsets)
    breaks: list[tuple[str, datetime, datetime]] = field(default_factory=list)


def _require_organiser(*, by: User, organisation: Organisation) -> None:
    if not is_organiser(user=by, organisation=organisation):
        raise errors.NotAllowed()


def _check_breaks(*, details: DayDetails) -> None:
    for _label, start, end in details.breaks:
        if end <= start or start < details.starts_at or end > details.ends_at:
            raise ValidationError({"breaks": "Each break must end after it starts and be within the day."})


def _apply(day: SurgeryDay, details: DayDetails) -> SurgeryDay:
    for name, value in vars(details).items():
        if name != "breaks":
            setattr(day, name, value)
    _check_breaks(details=details)
    day.full_clean()
    day.save()
    day.breaks.all().delete()
    DayBreak.objects.bulk_create(
        DayBreak(day=day, label=label, starts_at=s, ends_at=e) for label, s, e in details.breaks
    )
    return day


@transaction.atomic
def venue_create(
    *, organisation: Organisation, by: User, name: str, address: str, access_information: str, time_zone: str
) -> Venue:
    _require_organiser(by=by, organisation=organisation)
    venue = Venue(
        organisation=organisation,
        name=name,
        address=address,
        access_information=access_information,
        time_zone=time_zone,
    )
    venue.full_clean()
    venue.save()
    return venue


@transaction.atomic
def day_create(*, organisation: Organisation, by: User, details: DayDetails) -> SurgeryDay:
    """A new day starts as a draft that only organisers can see."""
    _require_organiser(by=by, organisation=organisation)
    return _apply(SurgeryDay(organisation=organisation, status=SurgeryDay.Status.DRAFT), details)


@transaction.atomic
def day_update(*, day: SurgeryDay, by: User, details: DayDetails) -> SurgeryDay:
    """Change a day. Times that would leave booked sessions outside the day are refused."""
    _require_organiser(by=by, organisation=day.organisation)
    # "No key update", as in day_cancel: a change to a day never touches its key, and
    # rows being added that point at the day (a seat handed on under its workshop's
    # lock) may finish, so the workshop locks taken later through day_updated cannot
    # deadlock with them.
    day = SurgeryDay.objects.select_for_update(no_key=True).get(pk=day.pk)
    if day.is_closed():
        raise errors.DayError("A cancelled or finished day cannot be changed.")
    outside = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE).exclude(
        slot__starts_at__gte=details.starts_at, slot__ends_at__lte=details.ends_at
    )
    if outside.exists():
        raise errors.DayError("Some booked sessions would fall outside the new times. Move or cancel them first.")
    if details.mode != day.mode:
        _check_nobody_booked_meets_otherwise(day, mode=details.mode)
    day = _apply(day, details)
    _regenerate_slots(day=day, by=by)
    day_notifications_reschedule(day=day)
    signals.day_updated.send(sender=SurgeryDay, day=day)
    return day


def _check_nobody_booked_meets_otherwise(day: SurgeryDay, *, mode: str) -> None:
    """A new mode that turns booked sessions online or in person would send people to the
    wrong place, and nothing tells them: refused while any such session is booked."""
    booked = Booking.objects.filter(
        day=day, status=Booking.Status.ACTIVE, slot__starts_at__gt=timezone.now()
    ).values_list("slot__day_surgeon__is_online", flat=True)
    changed = sum(
        day.sessions_online(surgeon_online=online) != day.sessions_online(surgeon_online=online, mode=mode)
        for online in booked
    )
    if changed:
        people = "1 person is" if changed == 1 else f"{changed} people are"
        raise errors.DayError(
            f"{people} booked to meet as the day is now, and would not be told of the change. "
            "Move or cancel their sessions first, then change how people meet."
        )


def _regenerate_slots(*, day: SurgeryDay, by: User) -> None:
    """Session length, breaks or times may have changed: remake every surgeon's slots.

    availability_set refuses (and so rolls back the whole edit) if a booked
    session would be dropped, exactly as when a surgeon changes their own times.
    """
    for day_surgeon in day.surgeons.prefetch_related("windows"):
        windows = [(w.starts_at, w.ends_at) for w in day_surgeon.windows.all()]
        try:
            availability_set(day_surgeon=day_surgeon, by=by, windows=windows, max_sessions=day_surgeon.max_sessions)
        except errors.AvailabilityConflict as error:
            raise errors.DayError(
                "This change would remove sessions people have booked. Move or cancel them first."
            ) from error


@transaction.atomic
def day_publish(*, day: SurgeryDay, by: User) -> SurgeryDay:
    _require_organiser(by=by, organisation=day.organisation)
    day = SurgeryDay.objects.select_for_update().get(pk=day.pk)
    if day.status != SurgeryDay.Status.DRAFT:
        raise errors.DayError("Only a draft day can be published.")
    if day.is_over(timezone.now()):
        raise errors.DayError("This day is in the past, so it cannot be published.")
    day.status = SurgeryDay.Status.PUBLISHED
    day.save(update_fields=["status"])
    return day


@transaction.atomic
def day_cancel(*, day: SurgeryDay, by: User) -> int:
    """Cancel a day, every booking on it and its waiting list. Returns how many
    bookings were cancelled.

    All the day's slots are locked first, so a booking being made right now either
    finishes before us (and is cancelled here) or starts after us (and sees the
    cancelled day). A finished day has happened, so it cannot be cancelled: that
    would tell everyone not to come to something already over and take its
    sessions out of their history.
    """
    _require_organiser(by=by, organisation=day.organisation)
    # "No key update": rows being added that point at the day (a workshop seat handed
    # to the waiting list under its workshop lock) may go ahead and finish, so this
    # transaction, which takes the workshop locks next, cannot deadlock with them.
    day = SurgeryDay.objects.select_for_update(no_key=True).get(pk=day.pk)
    if day.status == SurgeryDay.Status.CANCELLED:
        raise errors.DayError("This day is already cancelled.")
    if day.is_over(timezone.now()):
        raise errors.DayError("This day has finished, so it cannot be cancelled.")
    lock_slots(Slot.objects.filter(day=day).values_list("pk", flat=True))
    day.status = SurgeryDay.Status.CANCELLED
    day.save(update_fields=["status"])
    signals.day_cancelled.send(sender=SurgeryDay, day=day)
    day_cancelled_notify_everyone(day=day)
    active = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)
    Commitment.objects.filter(booking__in=active).update(is_active=False)
    count = active.update(status=Booking.Status.CANCELLED, cancelled_at=timezone.now())
    bump_day_version(day.pk)  # the bookings were cancelled in bulk, which sends no signal
    waiting_entries_end(WaitingListEntry.objects.filter(day=day))
    return count


@transaction.atomic
def days_finish_ended(*, now: datetime | None = None) -> int:
    """Mark every published day that has ended as finished, and end its waiting lists.
    Returns how many days changed.

    1. One conditional UPDATE finishes the days, so running it again (or two
       schedulers at once) changes nothing more, and a day an organiser is editing
       right now is finished only after their change commits, judged on its new end
       time. Drafts that were never published stay drafts; cancelled days stay
       cancelled.
    2. Everyone still waiting for a slot on any finished day leaves the list: the day
       is over, so no slot will come free. Looking at every finished day, not only
       those finished now, also closes an entry whose join raced the finishing.
    3. `signals.days_finished` lets the apps above do the same for the lists they
       keep (workshop waiting lists), in this transaction.
    """
    now = now or timezone.now()
    ended = SurgeryDay.objects.filter(status=SurgeryDay.Status.PUBLISHED, ends_at__lte=now)
    ended_ids = list(ended.values_list("pk", flat=True))
    count = SurgeryDay.objects.filter(pk__in=ended_ids).update(status=SurgeryDay.Status.FINISHED)
    bump_day_version(*ended_ids)
    finished = SurgeryDay.objects.filter(status=SurgeryDay.Status.FINISHED)
    waiting_entries_end(WaitingListEntry.objects.filter(day__in=finished))
    signals.days_finished.send(sender=SurgeryDay, days=finished)
    return count
