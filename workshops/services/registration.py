"""Registering for workshops, cancelling, and the workshop waiting list.

See docs/booking.md, "Workshops", for the locking and the numbered seats.
"""

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from people.models import User
from people.selectors import is_blocked, is_organiser
from surgeries.errors import NotAllowed, PersonBlocked, PersonBusy
from surgeries.models import Commitment, SurgeryDay
from surgeries.services.booking_core import translate_integrity_error
from surgeries.services.locking import lock_people
from surgeries.services.waiting import waiting_entries_end, waiting_list_fill
from workshops import errors, notifications
from workshops.models import Registration, Workshop, WorkshopFacilitator, WorkshopWaitingEntry
from workshops.services.commitments import busy_people, new_commitment
from workshops.services.locking import lock_workshop

# What the database refuses when a seat is taken, besides the overlap every commitment
# has: PostgreSQL names the constraint, SQLite the columns of the unique index. Any
# other refusal is the seat constraint: the workshop filled up.
SEAT_REFUSALS = (("once_per_person", errors.AlreadyRegistered), ("registration.person_id", errors.AlreadyRegistered))


def registration_is_open(*, workshop: Workshop, now: datetime) -> bool:
    return workshop.is_active and workshop.starts_at > now and workshop.day.takes_bookings(now)


def _seats_taken(workshop: Workshop) -> set[int]:
    return set(
        Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).values_list(
            "seat_number", flat=True
        )
    )


def free_seat(*, workshop: Workshop) -> int | None:
    """The lowest seat number no active registration holds, or None when full."""
    taken = _seats_taken(workshop)
    return next((seat for seat in range(1, workshop.capacity + 1) if seat not in taken), None)


def seats_free(*, workshop: Workshop) -> int:
    """How many seat numbers no active registration holds."""
    return len(set(range(1, workshop.capacity + 1)) - _seats_taken(workshop))


def _check_may_take_part(*, workshop: Workshop, person: User, now: datetime) -> None:
    """Every rule except capacity and clashes, which need the locks first."""
    if not registration_is_open(workshop=workshop, now=now):
        raise errors.RegistrationClosed()
    if is_blocked(person=person, organisation=workshop.day.organisation):
        raise PersonBlocked(errors.BLOCKED_FROM_WORKSHOP)
    if WorkshopFacilitator.objects.filter(workshop=workshop, person=person).exists():
        raise errors.FacilitatorCannotRegister()
    if Registration.objects.filter(workshop=workshop, person=person, status=Registration.Status.ACTIVE).exists():
        raise errors.AlreadyRegistered()


def seat_take_locked(*, workshop: Workshop, person: User, from_waiting_list: bool = False) -> Registration:
    """Give `person` a seat in a workshop the caller has locked, inside the caller's transaction."""
    lock_people([person.pk])
    if busy_people(person_ids=[person.pk], starts_at=workshop.starts_at, ends_at=workshop.ends_at):
        raise PersonBusy()
    seat = free_seat(workshop=workshop)
    if seat is None:
        raise errors.WorkshopFull()
    commitment = new_commitment(
        person_id=person.pk,
        day=workshop.day,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        role=Commitment.Role.PARTICIPANT,
    )
    registration = Registration(
        workshop=workshop,
        person=person,
        seat_number=seat,
        capacity=workshop.capacity,
        commitment=commitment,
        from_waiting_list=from_waiting_list,
    )
    registration.full_clean(validate_constraints=False)
    registration.save()
    return registration


def registration_create(*, workshop_id: int, person: User) -> Registration:
    """Register a person for a workshop, or raise a SurgeryError saying why not.

    1. Lock the workshop row and read it afresh (a cancellation meanwhile is seen).
    2. Check it is open, the person is not blocked, not running it, not already in.
    3. Lock the person, check they are free, take the lowest free seat.
    4. Write a participant commitment and the registration. The seat and overlap
       constraints back every step; if they fire anyway, the same message is shown.
    """
    try:
        with transaction.atomic():
            workshop = lock_workshop(workshop_id)
            if workshop is None:
                raise errors.RegistrationClosed("That workshop no longer exists.")
            _check_may_take_part(workshop=workshop, person=person, now=timezone.now())
            registration = seat_take_locked(workshop=workshop, person=person)
            notifications.registration_notifications_schedule(registration=registration)
            WorkshopWaitingEntry.objects.filter(
                workshop=workshop, person=person, status=WorkshopWaitingEntry.Status.WAITING
            ).update(status=WorkshopWaitingEntry.Status.REGISTERED, registration=registration)
            return registration
    except IntegrityError as error:
        raise translate_integrity_error(error, refusals=SEAT_REFUSALS, otherwise=errors.WorkshopFull) from error


def organiser_may_cancel_places(*, workshop: Workshop, now: datetime) -> bool:
    """Organisers may cancel someone's place until the workshop starts. After that the
    register records who came instead, and a freed place could not be used."""
    return workshop.is_active and now < workshop.starts_at


def _check_may_cancel(*, registration: Registration, by: User, as_organiser: bool, now: datetime) -> None:
    day = registration.workshop.day
    if as_organiser:
        if not is_organiser(user=by, organisation=day.organisation):
            raise NotAllowed()
        if not organiser_may_cancel_places(workshop=registration.workshop, now=now):
            raise errors.WorkshopStarted()
        return
    if registration.person_id != by.pk:
        raise NotAllowed()
    if now >= registration.workshop.starts_at - timedelta(hours=day.cancellation_cutoff_hours):
        raise errors.TooLateToCancel()


@transaction.atomic
def registration_cancel(*, registration_id: int, by: User, as_organiser: bool = False) -> Registration:
    """Give up a place (attendee until the cut-off, organisers until the workshop starts);
    the place goes to the waiting list."""
    registration = Registration.objects.get(pk=registration_id)
    workshop = lock_workshop(registration.workshop_id)
    # Read again now the workshop is locked: another request may have just cancelled it.
    registration.refresh_from_db(fields=["status"])
    registration.workshop = workshop
    if not registration.is_active:
        raise errors.PlaceAlreadyCancelled()
    now = timezone.now()
    _check_may_cancel(registration=registration, by=by, as_organiser=as_organiser, now=now)
    registration_release_locked(registration=registration, workshop=workshop, by=by, now=now)
    return registration


def registration_release_locked(*, registration: Registration, workshop: Workshop, by: User, now: datetime) -> None:
    """What every cancellation does once the workshop is locked and it is allowed:
    free the person's time, tell the facilitators, and fill the seat from the waiting list."""
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    Commitment.objects.filter(pk=registration.commitment_id).update(is_active=False)
    notifications.registration_cancelled_notify(registration=registration, by=by)
    waiting_list_promote(workshop=workshop)


def waiting_list_promote(*, workshop: Workshop) -> list[Registration]:
    """Fill the free seats of a locked workshop from its waiting list, oldest first.

    The order, the locking and the savepoints are `waiting_list_fill`'s. A workshop
    cancelled or started has no seat to give. People who cannot take part now (busy,
    blocked) keep their place in the queue for a later seat.
    """
    is_open = workshop.is_active and workshop.starts_at > timezone.now()
    return waiting_list_fill(
        entries=WorkshopWaitingEntry.objects.filter(workshop=workshop, status=WorkshopWaitingEntry.Status.WAITING),
        places=seats_free(workshop=workshop) if is_open else 0,
        take_place=partial(_seat_from_waiting_list, workshop=workshop),
        notify=_tell_seated_from_waiting_list,
    )


def _seat_from_waiting_list(entry: WorkshopWaitingEntry, *, workshop: Workshop) -> Registration:
    # Registering checks blocks before taking a seat; a seat from the list must too.
    if is_blocked(person=entry.person, organisation=workshop.day.organisation):
        raise PersonBlocked(errors.BLOCKED_FROM_WORKSHOP)
    registration = seat_take_locked(workshop=workshop, person=entry.person, from_waiting_list=True)
    entry.status = WorkshopWaitingEntry.Status.REGISTERED
    entry.registration = registration
    entry.save(update_fields=["status", "registration"])
    return registration


def _tell_seated_from_waiting_list(registration: Registration) -> None:
    notifications.registration_notifications_schedule(registration=registration, promoted=True)


def waiting_list_join(*, workshop_id: int, person: User) -> Registration | WorkshopWaitingEntry:
    """Join a full workshop's waiting list. If a place is free after all, take it instead."""
    try:
        with transaction.atomic():
            workshop = lock_workshop(workshop_id)
            if workshop is None:
                raise errors.RegistrationClosed("That workshop no longer exists.")
            _check_may_take_part(workshop=workshop, person=person, now=timezone.now())
            if free_seat(workshop=workshop) is not None:
                registration = seat_take_locked(workshop=workshop, person=person)
                notifications.registration_notifications_schedule(registration=registration)
                return registration
            waiting = WorkshopWaitingEntry.objects.filter(
                workshop=workshop, person=person, status=WorkshopWaitingEntry.Status.WAITING
            )
            if waiting.exists():
                raise errors.WorkshopError("You are already on the waiting list for this workshop.")
            # Someone busy at the time could never be given the place, so say so now.
            if busy_people(person_ids=[person.pk], starts_at=workshop.starts_at, ends_at=workshop.ends_at):
                raise PersonBusy()
            entry = WorkshopWaitingEntry(workshop=workshop, person=person)
            entry.full_clean(validate_constraints=False)
            entry.save()
            return entry
    except IntegrityError as error:
        raise translate_integrity_error(error, refusals=SEAT_REFUSALS, otherwise=errors.WorkshopFull) from error


def waiting_lists_end_for_days(days: QuerySet[SurgeryDay]) -> int:
    """The workshops of these finished days have happened: nobody waits for them any more.

    Called by the receiver of surgeries' `days_finished` signal, so it runs in the transaction that
    finishes the days. Returns how many entries ended; a second run ends none.
    """
    return waiting_entries_end(WorkshopWaitingEntry.objects.filter(workshop__day__in=days))


@transaction.atomic
def waiting_list_leave(*, workshop_id: int, person: User) -> int:
    return waiting_entries_end(WorkshopWaitingEntry.objects.filter(workshop_id=workshop_id, person=person))
