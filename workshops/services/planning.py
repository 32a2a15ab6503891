"""Organisers adding, changing and cancelling workshops and open-space blocks."""

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import User
from people.selectors import is_organiser
from surgeries.errors import NotAllowed
from surgeries.models import Commitment, SurgeryDay
from surgeries.services.locking import lock_people
from surgeries.services.waiting import waiting_entries_end
from workshops import errors, notifications
from workshops.models import OpenSpace, Registration, Workshop, WorkshopFacilitator, WorkshopWaitingEntry
from workshops.services.commitments import busy_people, new_commitment
from workshops.services.locking import lock_workshop
from workshops.services.registration import waiting_list_promote


@dataclass
class WorkshopDetails:
    """Everything an organiser sets on a workshop. Times are UTC."""

    title: str
    description: str
    room: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    accessibility_notes: str = ""
    online_link: str = ""
    facilitator_ids: list[int] = field(default_factory=list)


def _require_organiser(*, by: User, day: SurgeryDay) -> None:
    if not is_organiser(user=by, organisation=day.organisation):
        raise NotAllowed()
    if day.is_closed():
        raise errors.WorkshopError("This day is over or cancelled, so its programme cannot be changed.")


def _apply(workshop: Workshop, details: WorkshopDetails) -> None:
    for name, value in vars(details).items():
        if name != "facilitator_ids":
            setattr(workshop, name, value.strip() if isinstance(value, str) else value)
    workshop.full_clean()


def _names(person_ids: Iterable[int]) -> str:
    return ", ".join(
        User.objects.filter(pk__in=list(person_ids)).order_by("display_name").values_list("display_name", flat=True)
    )


def _set_facilitators(*, workshop: Workshop, person_ids: Iterable[int]) -> None:
    """Make exactly these people the facilitators; each gets a commitment for the time.

    The caller has locked the workshop and every person involved.
    """
    wanted = set(person_ids)
    current = {row.person_id: row for row in workshop.facilitators.all()}
    for person_id in set(current) - wanted:
        row = current[person_id]
        Commitment.objects.filter(pk=row.commitment_id).update(is_active=False)
        row.delete()
    added = wanted - set(current)
    busy = busy_people(person_ids=added, starts_at=workshop.starts_at, ends_at=workshop.ends_at)
    if busy:
        raise errors.FacilitatorBusy(f"{_names(busy)} already has something booked at this time.")
    for person_id in sorted(added):
        commitment = new_commitment(
            person_id=person_id,
            day=workshop.day,
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            role=Commitment.Role.FACILITATOR,
        )
        WorkshopFacilitator.objects.create(workshop=workshop, person_id=person_id, commitment=commitment)


def workshop_create(*, day: SurgeryDay, by: User, details: WorkshopDetails) -> Workshop:
    """Add a workshop to a day, with its facilitators kept free for it."""
    _require_organiser(by=by, day=day)
    try:
        with transaction.atomic():
            workshop = Workshop(day=day)
            _apply(workshop, details)
            workshop.save()
            lock_people(details.facilitator_ids)
            _set_facilitators(workshop=workshop, person_ids=details.facilitator_ids)
            return workshop
    except IntegrityError as error:
        raise errors.FacilitatorBusy() from error


def _active_commitments(workshop: Workshop) -> list[Commitment]:
    ids = list(
        Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).values_list(
            "commitment_id", flat=True
        )
    ) + list(workshop.facilitators.values_list("commitment_id", flat=True))
    return list(Commitment.objects.filter(pk__in=ids, is_active=True))


def _move_commitments(*, workshop: Workshop, commitments: list[Commitment]) -> None:
    """Move everyone's commitments to the workshop's new time, unless that makes a clash."""
    clashes = busy_people(
        person_ids=[c.person_id for c in commitments],
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        ignore=[c.pk for c in commitments],
    )
    if clashes:
        raise errors.WorkshopError(
            f"At the new time these people would have two things at once: {_names(clashes)}. "
            "Please choose another time or talk to them first."
        )
    Commitment.objects.filter(pk__in=[c.pk for c in commitments]).update(
        starts_at=workshop.starts_at, ends_at=workshop.ends_at
    )


def _fit_seats(*, workshop: Workshop) -> None:
    """Renumber seats so all fit the (possibly smaller) capacity, then copy the capacity on."""
    active = list(Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE))
    if len(active) > workshop.capacity:
        raise ValidationError(
            {"capacity": f"{len(active)} people already have places, so there must be at least {len(active)}."}
        )
    free = iter(sorted(set(range(1, workshop.capacity + 1)) - {r.seat_number for r in active}))
    for registration in active:
        if registration.seat_number > workshop.capacity:
            registration.seat_number = next(free)
            registration.save(update_fields=["seat_number"])
    Registration.objects.filter(pk__in=[r.pk for r in active]).update(capacity=workshop.capacity)


def workshop_update(*, workshop_id: int, by: User, details: WorkshopDetails) -> Workshop:
    """Change a workshop, all or nothing.

    1. Lock the workshop, then everyone registered or facilitating, old and new.
    2. Refuse a capacity below the places taken, or a time that makes anyone clash.
    3. Move everyone's commitments, renumber seats, swap facilitators, and give any
       new places to the waiting list.
    """
    try:
        with transaction.atomic():
            workshop = lock_workshop(workshop_id)
            if workshop is None:
                raise errors.WorkshopError("That workshop no longer exists.")
            _require_organiser(by=by, day=workshop.day)
            if not workshop.is_active:
                raise errors.WorkshopError("A cancelled workshop cannot be changed.")
            commitments = _active_commitments(workshop)
            lock_people([c.person_id for c in commitments] + list(details.facilitator_ids))
            times_before = (workshop.starts_at, workshop.ends_at)
            _apply(workshop, details)
            moved = (workshop.starts_at, workshop.ends_at) != times_before
            if moved:
                workshop.calendar_sequence += 1
            _fit_seats(workshop=workshop)
            _move_commitments(workshop=workshop, commitments=commitments)
            workshop.save()
            _set_facilitators(workshop=workshop, person_ids=details.facilitator_ids)
            notifications.workshop_moved_notify(workshop=workshop, moved=moved)
            waiting_list_promote(workshop=workshop)
            return workshop
    except IntegrityError as error:
        raise errors.WorkshopError("Someone's plans changed while you were editing. Please try again.") from error


@transaction.atomic
def workshop_cancel(*, workshop_id: int, by: User) -> int:
    """Cancel a workshop and release everyone in it. Returns how many places were cancelled."""
    workshop = lock_workshop(workshop_id)
    if workshop is None or not workshop.is_active:
        raise errors.WorkshopError("This workshop is already cancelled.")
    if not is_organiser(user=by, organisation=workshop.day.organisation):
        raise NotAllowed()
    if workshop.day.status == SurgeryDay.Status.FINISHED or workshop.ends_at <= timezone.now():
        # It has happened (the hourly job may not have marked the day finished yet):
        # a cancellation notice now would only confuse the people who came.
        raise errors.WorkshopError("This workshop is over, so it cannot be cancelled.")
    return _cancel_locked(workshop, with_day=False)


@transaction.atomic
def workshops_cancel_for_day(*, day: SurgeryDay) -> int:
    """Cancel every workshop of a day that has itself been cancelled. Returns places released."""
    ids = Workshop.objects.filter(day=day, status=Workshop.Status.ACTIVE).order_by("pk").values_list("pk", flat=True)
    released = 0
    for pk in ids:
        workshop = lock_workshop(pk)
        if workshop is not None and workshop.is_active:
            released += _cancel_locked(workshop, with_day=True)
    return released


def _cancel_locked(workshop: Workshop, *, with_day: bool) -> int:
    now = timezone.now()
    places = list(
        Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).select_related("person")
    )
    workshop.status = Workshop.Status.CANCELLED
    workshop.cancelled_at = now
    workshop.save(update_fields=["status", "cancelled_at"])
    Commitment.objects.filter(pk__in=[c.pk for c in _active_commitments(workshop)]).update(is_active=False)
    count = Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).update(
        status=Registration.Status.CANCELLED, cancelled_at=now
    )
    waiting = WorkshopWaitingEntry.objects.filter(workshop=workshop, status=WorkshopWaitingEntry.Status.WAITING)
    waiting_people = [entry.person for entry in waiting.select_related("person")]
    waiting_entries_end(waiting)
    notifications.workshop_cancelled_notify(
        workshop=workshop, registrations=places, waiting=waiting_people, with_day=with_day
    )
    return count


def _local_span(starts_at: datetime, ends_at: datetime, zone: str) -> str:
    tz = zoneinfo.ZoneInfo(zone)
    return f"{starts_at.astimezone(tz):%H:%M} to {ends_at.astimezone(tz):%H:%M %Z}"


@transaction.atomic
def programme_copy_to_day(*, source: SurgeryDay, day: SurgeryDay, shift: Callable[[datetime], datetime]) -> list[str]:
    """Copy the source day's active workshops and open space onto a new draft day,
    each moved by `shift`. Nobody's place is copied, and facilitators are not
    either: they are asked again, as surgeons are. Returns a line for each copy.
    """
    lines = []
    for workshop in Workshop.objects.filter(day=source, status=Workshop.Status.ACTIVE).prefetch_related(
        "facilitators__person"
    ):
        copy = Workshop(day=day)
        for name in ("title", "description", "room", "capacity", "accessibility_notes", "online_link"):
            setattr(copy, name, getattr(workshop, name))
        copy.starts_at, copy.ends_at = shift(workshop.starts_at), shift(workshop.ends_at)
        copy.full_clean()
        copy.save()
        line = f"Workshop “{copy.title}”, {_local_span(copy.starts_at, copy.ends_at, day.time_zone)} in {copy.room}"
        names = [row.person.display_name for row in workshop.facilitators.all()]
        lines.append(f"{line} (facilitators to ask again: {', '.join(names)})" if names else line)
    for block in OpenSpace.objects.filter(day=source):
        copy = OpenSpace(day=day, title=block.title, room=block.room)
        copy.starts_at, copy.ends_at = shift(block.starts_at), shift(block.ends_at)
        copy.full_clean()
        copy.save()
        lines.append(f"“{copy.title}”, {_local_span(copy.starts_at, copy.ends_at, day.time_zone)} in {copy.room}")
    return lines


@dataclass
class OpenSpaceDetails:
    title: str
    room: str
    starts_at: datetime
    ends_at: datetime


@transaction.atomic
def open_space_save(
    *, day: SurgeryDay, by: User, details: OpenSpaceDetails, open_space: OpenSpace | None = None
) -> OpenSpace:
    """Add an open-space block to a day, or change one. Nobody registers, so no locks."""
    _require_organiser(by=by, day=day)
    open_space = open_space or OpenSpace(day=day)
    for name, value in vars(details).items():
        setattr(open_space, name, value.strip() if isinstance(value, str) else value)
    open_space.full_clean()
    open_space.save()
    return open_space


@transaction.atomic
def open_space_delete(*, open_space: OpenSpace, by: User) -> None:
    _require_organiser(by=by, day=open_space.day)
    open_space.delete()
