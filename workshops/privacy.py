"""What "export my data" and "delete my account" do with workshops.

Registered with `people.privacy` from `WorkshopsConfig.ready()`, so `people` never
imports this app.
"""

from django.db import transaction
from django.utils import timezone

from people.models import User
from people.privacy import register_erasure_handler, register_export_section
from surgeries.models import Commitment
from surgeries.services.waiting import waiting_entries_end
from workshops.models import Registration, WorkshopFacilitator, WorkshopWaitingEntry
from workshops.services.locking import lock_workshop
from workshops.services.registration import registration_release_locked


def workshops_export(person: User) -> dict:
    """The person's workshop places, waiting-list entries and the workshops they run."""
    registrations = (
        Registration.objects.filter(person=person)
        .select_related("workshop__day__venue", "feedback")
        .order_by("workshop__starts_at", "pk")
    )
    waiting = (
        WorkshopWaitingEntry.objects.filter(person=person)
        .select_related("workshop__day__venue")
        .order_by("created_at", "pk")
    )
    facilitating = (
        WorkshopFacilitator.objects.filter(person=person)
        .select_related("workshop__day__venue")
        .order_by("workshop__starts_at", "pk")
    )
    return {
        "registrations": [
            {
                **_workshop_row(row.workshop),
                "status": row.status,
                "registered": row.created_at.isoformat(),
                "marked_did_not_come": row.is_no_show,
                "feedback": _feedback_row(getattr(row, "feedback", None)),
            }
            for row in registrations
        ],
        "waiting_lists": [
            {**_workshop_row(row.workshop), "status": row.status, "joined": row.created_at.isoformat()}
            for row in waiting
        ],
        "facilitating": [_workshop_row(row.workshop) for row in facilitating],
    }


def _feedback_row(feedback) -> dict | None:
    """The place's rating (an `afterday.WorkshopFeedback`, read through the place so
    workshops does not import afterday), in the place's row as before the move."""
    if feedback is None or feedback.author_id is None:
        return None
    return {
        "usefulness": feedback.usefulness,
        "comment": feedback.comment,
        "comment_shared_with": feedback.comment_audience,
        "given_at": feedback.created_at.isoformat(),
    }


def _workshop_row(workshop) -> dict:
    return {
        "workshop": workshop.title,
        "day": workshop.day.title,
        "starts_at_utc": workshop.starts_at.isoformat(),
        "venue_time_zone": workshop.day.venue.time_zone,
    }


@transaction.atomic
def workshops_erase(person: User) -> None:
    """Run inside the erasure transaction, before the account is scrubbed.

    1. Take the person off every waiting list first, so no promotion below (or
       later) can hand a seat to the account being erased.
    2. Remove them from the upcoming workshops they run and free that time.
    3. Cancel their upcoming places under the workshop lock, as a cancellation
       does: reminders stop, facilitators are told, the seat goes to the oldest
       person waiting. Past places stay, so organisers' counts hold.
    Their workshop ratings lose author and comment in afterday's handler (afterday/privacy.py).
    """
    now = timezone.now()
    waiting_entries_end(WorkshopWaitingEntry.objects.filter(person=person))
    upcoming_runs = WorkshopFacilitator.objects.filter(person=person, workshop__starts_at__gt=now)
    for row in upcoming_runs.order_by("workshop_id"):
        lock_workshop(row.workshop_id)
        Commitment.objects.filter(pk=row.commitment_id).update(is_active=False)
        row.delete()
    upcoming_places = Registration.objects.filter(
        person=person, status=Registration.Status.ACTIVE, workshop__starts_at__gt=now
    )
    for registration_id, workshop_id in upcoming_places.order_by("workshop_id").values_list("pk", "workshop_id"):
        _registration_cancel_locked(registration_id=registration_id, workshop_id=workshop_id, by=person)


def _registration_cancel_locked(*, registration_id: int, workshop_id: int, by: User) -> None:
    """The steps of `registration_cancel` without its cut-off: erasure cannot wait."""
    workshop = lock_workshop(workshop_id)
    # Read again under the lock: a cancellation may have happened meanwhile.
    registration = Registration.objects.get(pk=registration_id)
    if not registration.is_active:
        return
    registration.workshop = workshop
    registration_release_locked(registration=registration, workshop=workshop, by=by, now=timezone.now())


def register() -> None:
    register_export_section("workshops", workshops_export)
    register_erasure_handler(workshops_erase)
