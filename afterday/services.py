"""Writes after a surgery day: feedback on sessions, the day and workshops, session
notes, who did not come to a workshop, and deleting short-lived data.

Every function takes keyword arguments, runs in one transaction and checks who is
asking, so a view cannot save half a form or act for someone else.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from afterday import workshops
from afterday.models import Feedback, SessionNote, WorkshopFeedback
from people.models import User
from people.selectors import is_organiser
from surgeries import errors
from surgeries.day_version import bump_day_version
from surgeries.models import Booking, DayAggregate, DaySurgeon, SurgeryDay
from surgeries.services import day_messages_purge
from workshops import errors as workshop_errors
from workshops.models import Registration, Workshop, WorkshopFacilitator


def helper_role(*, day: SurgeryDay, person: User) -> str | None:
    """How the person helped on the day: as a surgeon, else as a facilitator, else None."""
    if DaySurgeon.objects.filter(day=day, person=person).exists():
        return Feedback.Role.SURGEON
    if workshops.helped_on_day(day, person):
        return Feedback.Role.FACILITATOR
    return None


def _session_started(booking: Booking, now: datetime) -> bool:
    return booking.slot.starts_at <= now


@transaction.atomic
def session_feedback_give(
    *,
    booking_id: int,
    by: User,
    usefulness: int,
    comment: str = "",
    comment_audience: str = Feedback.CommentAudience.ORGANISERS,
    now: datetime | None = None,
) -> Feedback:
    """The learner says how useful a session was; giving it again replaces the earlier answer."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("slot", "day").filter(pk=booking_id).first()
    if booking is None or booking.learner_id != by.pk or not booking.is_active:
        raise errors.NotAllowed()
    if not _session_started(booking, now):
        raise errors.SurgeryError("You can say how it went once the session has started.")
    feedback = Feedback.objects.select_for_update().filter(booking=booking, author=by).first()
    feedback = feedback or Feedback(booking=booking, author=by, day=booking.day, role=Feedback.Role.LEARNER)
    return _save(feedback, usefulness=usefulness, comment=comment, comment_audience=comment_audience, now=now)


@transaction.atomic
def day_feedback_give(
    *, day: SurgeryDay, by: User, usefulness: int, comment: str = "", now: datetime | None = None
) -> Feedback:
    """A surgeon or facilitator says how the day went for them. Their comment goes to organisers only."""
    now = now or timezone.now()
    role = helper_role(day=day, person=by)
    if role is None:
        raise errors.NotAllowed()
    if day.starts_at > now:
        raise errors.SurgeryError("You can say how the day went once it has started.")
    feedback = Feedback.objects.select_for_update().filter(day=day, author=by, role=role, booking=None).first()
    feedback = feedback or Feedback(day=day, author=by, role=role)
    return _save(
        feedback, usefulness=usefulness, comment=comment, comment_audience=Feedback.CommentAudience.ORGANISERS, now=now
    )


def _save(feedback: Feedback, *, usefulness: int, comment: str, comment_audience: str, now: datetime) -> Feedback:
    feedback.usefulness = usefulness
    feedback.comment = comment.strip()
    feedback.comment_audience = comment_audience
    feedback.updated_at = now
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    return feedback


@transaction.atomic
def session_note_write(*, booking_id: int, by: User, text: str, now: datetime | None = None) -> SessionNote | None:
    """The surgeon writes (or rewrites) next steps for the learner; empty text removes them."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("slot").filter(pk=booking_id).first()
    if booking is None or booking.surgeon_id != by.pk or not booking.is_active:
        raise errors.NotAllowed()
    text = text.strip()
    if not text:
        SessionNote.objects.filter(booking=booking).delete()
        return None
    note = SessionNote.objects.filter(booking=booking).first() or SessionNote(booking=booking)
    note.text, note.written_by, note.updated_at = text, by, now
    note.full_clean()
    note.save()
    return note


# --- Workshops ------------------------------------------------------------------------


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
        raise workshop_errors.WorkshopError("You can say how it went once the workshop has started.")
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
        raise workshop_errors.WorkshopError("You can mark who did not come once the workshop has started.")
    if registration.workshop.attended_snapshot is not None:
        raise workshop_errors.WorkshopError("Attendance at this workshop has been counted and the marks deleted.")
    Registration.objects.filter(pk=registration.pk).update(is_no_show=no_show)
    bump_day_version(registration.workshop.day_id)  # the update sends no signal; the report counts places used
    registration.is_no_show = no_show
    return registration


# --- Retention ------------------------------------------------------------------------


def retention_cutoff(*, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)


def days_due_for_purge(*, now: datetime | None = None) -> list[int]:
    return list(
        SurgeryDay.objects.filter(ends_at__lte=retention_cutoff(now=now), aggregate__isnull=True)
        .order_by("ends_at", "id")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def day_personal_data_purge(*, day_id: int, now: datetime | None = None) -> DayAggregate | None:
    """Delete a finished day's short-lived personal data, keeping only its counts.

    1. Lock the day, so two runs (beat and a cron job) cannot both purge it.
    2. Skip it if it was purged already or has not been over for RETENTION_DAYS.
    3. Snapshot the counts that need the no-show marks (sessions held, people helped).
    4. Clear no-show marks, organisers' notes and the learners' notes for their
       surgeon (they can hold access needs or health details), then the
       workshops' "did not come" marks, after counting places used, and the text
       of the organisers' messages (the record of what was sent stays).
    """
    now = now or timezone.now()
    day = SurgeryDay.objects.select_for_update().filter(pk=day_id).first()
    if day is None or day.ends_at > retention_cutoff(now=now) or DayAggregate.objects.filter(day=day).exists():
        return None
    held = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE, is_no_show=False).aggregate(
        sessions=Count("id"), people=Count("learner", distinct=True)
    )
    aggregate = DayAggregate(day=day, sessions_held=held["sessions"], people_helped=held["people"], purged_at=now)
    aggregate.full_clean()
    aggregate.save()
    Booking.objects.filter(day=day).filter(Q(is_no_show=True) | ~Q(note="") | ~Q(organiser_note="")).update(
        is_no_show=False, note="", organiser_note=""
    )
    workshops.purge_day(day)
    day_messages_purge(day=day, now=now)
    return aggregate


def retention_run(*, now: datetime | None = None) -> int:
    """Purge every day that is due, one transaction per day. Returns how many were purged."""
    return sum(1 for day_id in days_due_for_purge(now=now) if day_personal_data_purge(day_id=day_id, now=now))
