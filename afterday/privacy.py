"""What "My data" exports and erases of feedback and next-steps notes.

Registered with people's hooks from AfterdayConfig.ready(), so people never imports afterday.
"""

from afterday.models import Feedback, SessionNote, WorkshopFeedback
from people.models import User
from people.privacy import register_erasure_handler, register_export_section
from surgeries.day_version import bump_day_version


def export_after_the_day(person: User) -> dict:
    feedback = Feedback.objects.filter(author=person).select_related("day").order_by("created_at", "id")
    notes = (
        SessionNote.objects.filter(booking__learner=person)
        .select_related("booking__day", "booking__slot")
        .order_by("booking__slot__starts_at")
    )
    return {
        "feedback_given": [
            {
                "day": f.day.title,
                "role": f.role,
                "usefulness": f.usefulness,
                "comment": f.comment,
                "comment_shared_with": f.comment_audience,
                "given_at": f.created_at.isoformat(),
            }
            for f in feedback
        ],
        "next_steps_received": [
            {"day": n.booking.day.title, "session_at": n.booking.slot.starts_at.isoformat(), "next_steps": n.text}
            for n in notes
        ],
    }


def erase_after_the_day(person: User) -> None:
    """Ratings (of sessions, days and workshops) stay for the counts, without an author
    or a comment; notes for the person go.

    Notes the person wrote as a surgeon stay with the learner who keeps them, unsigned.
    Workshop ratings are exported with the places, in the workshops section.
    """
    # The days' kept impact reports show the comments: they get new versions.
    days = set(Feedback.objects.filter(author=person).values_list("day_id", flat=True))
    days |= set(WorkshopFeedback.objects.filter(author=person).values_list("workshop__day_id", flat=True))
    Feedback.objects.filter(author=person).update(author=None, comment="")
    WorkshopFeedback.objects.filter(author=person).update(author=None, comment="")
    bump_day_version(*days)
    SessionNote.objects.filter(booking__learner=person).delete()
    SessionNote.objects.filter(written_by=person).update(written_by=None)


def register() -> None:
    register_export_section("after_the_day", export_after_the_day)
    register_erasure_handler(erase_after_the_day)
