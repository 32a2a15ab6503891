"""Writes after a workshop: participants' feedback and who did not come.

Each function takes keyword arguments, runs in one transaction and checks who is
asking, so a view cannot save half a form or act for someone else.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from people.models import User
from people.selectors import is_organiser
from surgeries.models import SurgeryDay
from workshops import errors
from workshops.models import Registration, Workshop, WorkshopFacilitator, WorkshopFeedback


def _held_place(registration_id: int) -> Registration | None:
    return (
        Registration.objects.select_related("workshop__day__organisation")
        .filter(pk=registration_id, status=Registration.Status.ACTIVE, workshop__status=Workshop.Status.ACTIVE)
        .filter(workshop__day__status__in=SurgeryDay.HELD_STATUSES)
        .first()
    )


@transaction.atomic
def workshop_feedback_give(
    *,
    registration_id: int,
    by: User,
    usefulness: int,
    comment: str = "",
    comment_audience: str = WorkshopFeedback.CommentAudience.ORGANISERS,
    now: datetime | None = None,
) -> WorkshopFeedback:
    """The participant says how useful a workshop was; giving it again replaces the earlier answer."""
    now = now or timezone.now()
    registration = _held_place(registration_id)
    if registration is None or registration.person_id != by.pk:
        raise errors.NotAllowed()
    if registration.workshop.starts_at > now:
        raise errors.WorkshopError("You can say how it went once the workshop has started.")
    feedback = WorkshopFeedback.objects.select_for_update().filter(registration=registration).first()
    feedback = feedback or WorkshopFeedback(registration=registration, workshop=registration.workshop, created_at=now)
    feedback.author = by
    feedback.usefulness = usefulness
    feedback.comment = comment.strip()
    feedback.comment_audience = comment_audience
    feedback.updated_at = now
    feedback.full_clean()
    feedback.save()
    return feedback


def can_take_attendance(*, user: User, workshop: Workshop) -> bool:
    """Facilitators of the workshop and organisers of its day may mark who did not come."""
    if not user.is_authenticated:
        return False
    return is_organiser(user=user, organisation=workshop.day.organisation) or (
        WorkshopFacilitator.objects.filter(workshop=workshop, person=user).exists()
    )


@transaction.atomic
def registration_mark_no_show(
    *, registration_id: int, by: User, no_show: bool = True, now: datetime | None = None
) -> Registration:
    """Record (or clear) that someone with a place did not come. Only once the workshop has started."""
    now = now or timezone.now()
    registration = _held_place(registration_id)
    if registration is None or not can_take_attendance(user=by, workshop=registration.workshop):
        raise errors.NotAllowed()
    if registration.workshop.starts_at > now:
        raise errors.WorkshopError("You can mark who did not come once the workshop has started.")
    if registration.workshop.attended_snapshot is not None:
        raise errors.WorkshopError("Attendance at this workshop has been counted and the marks deleted.")
    Registration.objects.filter(pk=registration.pk).update(is_no_show=no_show)
    registration.is_no_show = no_show
    return registration
