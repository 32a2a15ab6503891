"""Reads for "My sessions": what a person did on past days, with notes and feedback."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from afterday import workshops
from afterday.models import Feedback, SessionNote, WorkshopFeedback
from people.models import User
from surgeries.models import Booking, DaySurgeon, SurgeryDay
from workshops.models import Registration


@dataclass
class PastSession:
    booking: Booking
    note: SessionNote | None
    my_feedback: Feedback | None
    # For the surgeon: comments the learner chose to share with them, without a rating.
    shared_comments: list[str]


@dataclass
class MySessions:
    as_learner: list[PastSession]
    as_surgeon: list[PastSession]
    # Days the person helped on, as a surgeon or a facilitator, with their feedback on the day.
    helper_days: list[tuple[SurgeryDay, Feedback | None]]
    # Workshop places and workshops run (afterday.workshops.sessions_part), or None.
    workshops: dict | None


def my_sessions(*, person: User, now: datetime | None = None) -> MySessions:
    """Sessions that have started, newest first, in a fixed number of queries whatever their number."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(Q(learner=person) | Q(surgeon=person), status=Booking.Status.ACTIVE)
        .filter(slot__starts_at__lte=now)
        .select_related("slot", "day__venue", "learner", "surgeon", "session_note")
        .prefetch_related("feedback")
        .order_by("-slot__starts_at", "-id")
    )
    sessions = [_past_session(booking, person) for booking in bookings]
    days = {
        ds.day.pk: ds.day
        for ds in DaySurgeon.objects.filter(person=person, day__starts_at__lte=now)
        .exclude(day__status__in=[SurgeryDay.Status.DRAFT, SurgeryDay.Status.CANCELLED])
        .select_related("day__venue")
    }
    days.update((day.pk, day) for day in workshops.days_helped(person, now))
    # Someone who was surgeon and facilitator on one day gives one answer, as a surgeon.
    day_feedback = {f.day_id: f for f in Feedback.objects.filter(author=person, booking=None).order_by("role")}
    helper_days = sorted(days.values(), key=lambda day: day.starts_at, reverse=True)
    return MySessions(
        as_learner=[s for s in sessions if s.booking.learner_id == person.pk],
        as_surgeon=[s for s in sessions if s.booking.surgeon_id == person.pk],
        helper_days=[(day, day_feedback.get(day.pk)) for day in helper_days],
        workshops=workshops.sessions_part(person, now),
    )


def _past_session(booking: Booking, person: User) -> PastSession:
    feedback = list(booking.feedback.all())
    # A missing reverse one-to-one raises a subclass of AttributeError, so getattr's default applies.
    note = getattr(booking, "session_note", None)
    mine = next((f for f in feedback if f.author_id == person.pk), None)
    shared = []
    if booking.surgeon_id == person.pk:
        shared = [
            f.comment
            for f in feedback
            if f.role == Feedback.Role.LEARNER and f.comment and f.comment_audience == Feedback.CommentAudience.SURGEON
        ]
    return PastSession(booking=booking, note=note, my_feedback=mine, shared_comments=shared)


def learner_notes(*, person: User) -> list[SessionNote]:
    """Every next-steps note written for this person as a learner, oldest first, for download."""
    return list(
        SessionNote.objects.filter(booking__learner=person, booking__status=Booking.Status.ACTIVE)
        .select_related("booking__slot", "booking__day__venue", "booking__surgeon")
        .order_by("booking__slot__starts_at", "booking_id")
    )


# --- What a person already wrote, to show in the form again --------------------------


def session_feedback_of(*, booking: Booking, author: User) -> Feedback | None:
    return Feedback.objects.filter(booking=booking, author=author).first()


def day_feedback_of(*, day: SurgeryDay, author: User, role: str) -> Feedback | None:
    return Feedback.objects.filter(day=day, author=author, booking=None, role=role).first()


def session_note_of(*, booking: Booking) -> SessionNote | None:
    return SessionNote.objects.filter(booking=booking).first()


def workshop_feedback_of(*, registration: Registration) -> WorkshopFeedback | None:
    return WorkshopFeedback.objects.filter(registration=registration).first()
