"""The messages the workshops app sends; the outbox reads `KINDS` below.

| kind | to | when | essential | subject |
| --- | --- | --- | --- | --- |
| `workshops.registration_confirmed` | the participant, with an `.ics` | at once | yes | registration |
| `workshops.waiting_list_place` | the participant given a freed place, with an `.ics` | at once | yes | registration |
| `workshops.reminder` | the participant | the day's `reminder_offsets_minutes` before | no | registration |
| `workshops.registration_cancelled` | each facilitator, when a participant cancels | at once | yes | registration |
| `workshops.place_cancelled` | the participant, when an organiser cancels their place | at once | yes | registration |
| `workshops.workshop_cancelled` | participants and facilitators, when an organiser cancels | at once | yes | workshop |
| `workshops.waiting_list_cancelled` | its waiting list, when an organiser cancels it | at once | yes | workshop |
| `workshops.workshop_moved` | each participant, with the `.ics` | when its times change | yes | registration |
| `workshops.workshop_moved_facilitator` | each facilitator, `.ics` | times change | yes | facilitator |

When a whole day is cancelled its workshops go with it (workshops/receivers.py).
Their people (participants, facilitators and everyone on a waiting list) are then
sent the day's own "day cancelled" notice, scheduled under the same key as the one
surgeries sends, so someone with a booking, a workshop place and a waiting-list
place that day is told once.

Each function below is called once from the service that makes the change,
inside its transaction, so a rolled-back change leaves nothing in the outbox.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.models import Notification
from outbox.registry import (
    NOTICE_SEND_WITHIN,
    REMINDER_SEND_WITHIN,
    Attachment,
    NotificationKind,
)
from outbox.services import (
    notification_schedule,
    notifications_cancel_for,
    notifications_reschedule_for,
)
from outbox.tasks import sweep_soon
from people.models import User
from surgeries.models import SurgeryDay
from surgeries.notifications import day_cancellation_notify, offset_slot
from surgeries.notifications.bookings import reminder_due_at
from surgeries.notifications.wording import reminder_wording_for
from workshops.calendar import facilitator_calendar, registration_calendar
from workshops.models import Registration, Workshop, WorkshopFacilitator

REGISTRATION_CONFIRMED = "workshops.registration_confirmed"
WAITING_LIST_PLACE = "workshops.waiting_list_place"
REMINDER = "workshops.reminder"
REGISTRATION_CANCELLED = "workshops.registration_cancelled"
WORKSHOP_CANCELLED = "workshops.workshop_cancelled"
PLACE_CANCELLED = "workshops.place_cancelled"
WAITING_LIST_CANCELLED = "workshops.waiting_list_cancelled"
WORKSHOP_MOVED = "workshops.workshop_moved"
WORKSHOP_MOVED_FACILITATOR = "workshops.workshop_moved_facilitator"

# The slot of a workshop-cancelled notice to someone running it: it says so, and
# names nobody who had a place.
TO_FACILITATOR = "facilitator"


# --- when and whether -------------------------------------------------------------


def registration_reminder_due_at(registration: Registration, slot: str) -> datetime | None:
    """Elapsed time before the workshop, as for one-to-one sessions (docs/reminders.md)."""
    workshop = registration.workshop
    return reminder_due_at(
        day=workshop.day, starts_at=workshop.starts_at, slot=slot, not_before=registration.created_at
    )


def _has_place(registration: Registration) -> bool:
    workshop = registration.workshop
    return registration.is_active and workshop.is_active and workshop.day.status == SurgeryDay.Status.PUBLISHED


def _is_upcoming(registration: Registration) -> bool:
    return _has_place(registration) and registration.workshop.starts_at > timezone.now()


def _place_given_up(registration: Registration) -> bool:
    # A workshop cancelled meanwhile sends its own notice instead.
    return not registration.is_active and registration.workshop.is_active


def _place_cancelled(registration: Registration) -> bool:
    # Still sent if the workshop or day is cancelled afterwards: those notices go only
    # to people who had a place then, so this is the only word this person gets.
    return not registration.is_active


def _still_running(facilitator: WorkshopFacilitator) -> bool:
    # A facilitator taken off the workshop loses the row, so the notice is cancelled.
    workshop = facilitator.workshop
    return workshop.is_active and workshop.day.status == SurgeryDay.Status.PUBLISHED


def _workshop_cancelled(workshop: Workshop) -> bool:
    return not workshop.is_active and workshop.day.status != SurgeryDay.Status.CANCELLED


def _waited_for_cancelled(workshop: Workshop) -> bool:
    # Still sent if the day is cancelled afterwards: the day's notice goes only to
    # people still waiting then, and this person's entry has already ended.
    return not workshop.is_active


# --- what the emails say ------------------------------------------------------------


def _workshop_context(workshop: Workshop) -> dict:
    day = workshop.day
    return {
        "workshop": workshop,
        "day": day,
        "venue": day.venue,
        "organisation": day.organisation,
        "zone": day.venue.time_zone,
        "workshop_url": settings.SITE_URL + reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk}),
        "my_bookings_url": settings.SITE_URL + reverse("surgeries:my_bookings"),
    }


def registration_context(notification: Notification, registration: Registration, recipient: User) -> dict:
    # Facilitators hear that a place was given up, never who gave it up: they do not need it.
    return {**_workshop_context(registration.workshop), "promoted": notification.kind == WAITING_LIST_PLACE}


def reminder_context(notification: Notification, registration: Registration, recipient: User) -> dict:
    # The organisers' subject and opening for the day's reminders, if they wrote one.
    wording = reminder_wording_for(day=registration.workshop.day, kind=notification.kind)
    return {**registration_context(notification, registration, recipient), "wording": wording}


def workshop_context(notification: Notification, workshop: Workshop, recipient: User) -> dict:
    return {**_workshop_context(workshop), "to_facilitator": notification.slot == TO_FACILITATOR}


def facilitator_context(notification: Notification, facilitator: WorkshopFacilitator, recipient: User) -> dict:
    return {**_workshop_context(facilitator.workshop), "to_facilitator": True}


def registration_ics(notification: Notification, registration: Registration, recipient: User) -> list[Attachment]:
    return [("workshop.ics", registration_calendar(registration), "text/calendar")]


def facilitator_ics(notification: Notification, facilitator: WorkshopFacilitator, recipient: User) -> list[Attachment]:
    return [("workshop.ics", facilitator_calendar(facilitator), "text/calendar")]


KINDS = (
    NotificationKind(
        name=REGISTRATION_CONFIRMED,
        label="Workshop place",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_registration_confirmed",
        build_context=registration_context,
        is_live=_has_place,
        attachments=registration_ics,
    ),
    NotificationKind(
        name=WAITING_LIST_PLACE,
        label="Workshop place from the waiting list",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_registration_confirmed",
        build_context=registration_context,
        is_live=_has_place,
        attachments=registration_ics,
    ),
    NotificationKind(
        name=REMINDER,
        label="Workshop reminder",
        essential=False,
        send_within=REMINDER_SEND_WITHIN,
        template="workshop_reminder",
        build_context=reminder_context,
        is_live=_is_upcoming,
        due_at=registration_reminder_due_at,
    ),
    NotificationKind(
        name=REGISTRATION_CANCELLED,
        label="Workshop place given up (to the facilitators)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_registration_cancelled",
        build_context=registration_context,
        is_live=_place_given_up,
    ),
    NotificationKind(
        name=PLACE_CANCELLED,
        label="Workshop place cancelled by the organisers",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_place_cancelled",
        build_context=registration_context,
        is_live=_place_cancelled,
    ),
    NotificationKind(
        name=WORKSHOP_CANCELLED,
        label="Workshop cancelled",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_cancelled",
        build_context=workshop_context,
        is_live=_workshop_cancelled,
    ),
    NotificationKind(
        name=WORKSHOP_MOVED,
        label="Workshop moved",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_moved",
        build_context=registration_context,
        is_live=_has_place,
        attachments=registration_ics,
    ),
    NotificationKind(
        name=WORKSHOP_MOVED_FACILITATOR,
        label="Workshop moved (to the facilitators)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_moved",
        build_context=facilitator_context,
        is_live=_still_running,
        attachments=facilitator_ics,
    ),
    NotificationKind(
        name=WAITING_LIST_CANCELLED,
        label="Workshop cancelled (to its waiting list)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="workshop_waiting_list_cancelled",
        build_context=workshop_context,
        is_live=_waited_for_cancelled,
    ),
)


# --- scheduling, called by the services inside their transactions -----------------------


@transaction.atomic
def registration_notifications_schedule(*, registration: Registration, promoted: bool = False) -> None:
    """A new place: confirm it at once with the .ics, and line up the reminders."""
    workshop = registration.workshop
    notification_schedule(
        kind=WAITING_LIST_PLACE if promoted else REGISTRATION_CONFIRMED,
        recipient=registration.person,
        subject=registration,
        scope=workshop.day,
        due_at=timezone.now(),
    )
    for minutes in workshop.day.reminder_offsets_minutes:
        notification_schedule(
            kind=REMINDER,
            recipient=registration.person,
            subject=registration,
            scope=workshop.day,
            slot=offset_slot(minutes),
        )
    transaction.on_commit(sweep_soon)


@transaction.atomic
def registration_cancelled_notify(*, registration: Registration, by: User) -> None:
    """Stop the place's messages. If the participant gave it up, tell the facilitators;
    if an organiser cancelled it, tell the participant.

    Not called when a whole workshop or day is cancelled: those send their own notices.
    """
    notifications_cancel_for(subject=registration, reason="place cancelled")
    day = registration.workshop.day
    if by.pk != registration.person_id:
        notification_schedule(
            kind=PLACE_CANCELLED, recipient=registration.person, subject=registration, scope=day, due_at=timezone.now()
        )
    else:
        for facilitator in registration.workshop.facilitators.select_related("person"):
            notification_schedule(
                kind=REGISTRATION_CANCELLED,
                recipient=facilitator.person,
                subject=registration,
                scope=day,
                due_at=timezone.now(),
            )
    transaction.on_commit(sweep_soon)


@transaction.atomic
def workshop_cancelled_notify(
    *, workshop: Workshop, registrations: list[Registration], waiting: list[User], with_day: bool
) -> None:
    """Call with the places that were active, and the people who were waiting, just
    before the workshop was cancelled.

    Their reminders stop. An organiser cancelling one workshop tells its
    participants, its facilitators (the facilitators' notice names nobody) and its
    waiting list; a cancelled day tells them all through the day's own notice
    instead, so nobody gets two messages about one cancellation.
    """
    for registration in registrations:
        notifications_cancel_for(subject=registration, reason="workshop cancelled")
    people = [registration.person for registration in registrations]
    facilitators = [row.person for row in workshop.facilitators.select_related("person")]
    if with_day:
        day_cancellation_notify(day=workshop.day, recipients=[*people, *facilitators, *waiting])
    else:
        now = timezone.now()
        notices = [(p, WORKSHOP_CANCELLED, "") for p in people]
        notices += [(p, WORKSHOP_CANCELLED, TO_FACILITATOR) for p in facilitators]
        notices += [(p, WAITING_LIST_CANCELLED, "") for p in waiting]
        for person, kind, slot in notices:
            notification_schedule(
                kind=kind, recipient=person, subject=workshop, scope=workshop.day, due_at=now, slot=slot
            )
    transaction.on_commit(sweep_soon)


@transaction.atomic
def workshop_moved_notify(*, workshop: Workshop, moved: bool = False) -> None:
    """The workshop's reminders follow its time (or the day's new offsets). If its
    times changed (`moved`), each participant and facilitator is also told at once,
    with a calendar file that updates the event they already have.

    The notice's slot names the move (`moved-<sequence>`), so each move is told once
    and a second move before the first notice went replaces it.
    """
    registrations = Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).select_related(
        "person"
    )
    day, now = workshop.day, timezone.now()
    slot = f"moved-{workshop.calendar_sequence}"
    for registration in registrations:
        registration.workshop = workshop
        notifications_reschedule_for(subject=registration)
        for minutes in day.reminder_offsets_minutes:
            notification_schedule(
                kind=REMINDER, recipient=registration.person, subject=registration, scope=day, slot=offset_slot(minutes)
            )
        if moved:
            _moved_notice_replace(kind=WORKSHOP_MOVED, subject=registration, day=day, slot=slot, now=now)
    if not moved:
        return
    for facilitator in workshop.facilitators.select_related("person"):
        _moved_notice_replace(kind=WORKSHOP_MOVED_FACILITATOR, subject=facilitator, day=day, slot=slot, now=now)
    transaction.on_commit(sweep_soon)


def _moved_notice_replace(*, kind: str, subject, day, slot: str, now) -> None:
    """One "it has moved" notice per person: a notice for an earlier move not yet sent gives way."""
    notifications_cancel_for(subject=subject, kinds=[kind], reason="moved again")
    notification_schedule(kind=kind, recipient=subject.person, subject=subject, scope=day, due_at=now, slot=slot)
