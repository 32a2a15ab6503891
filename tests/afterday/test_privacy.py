from afterday.models import Feedback, SessionNote
from afterday.services import session_feedback_give, session_note_write
from people.privacy import account_delete, account_export
from tests.factories import past_day, past_session


def _session_with_feedback_and_note(organisation, surgeon, learner):
    booking = past_session(past_day(organisation, title="Autumn surgery"), surgeon=surgeon, learner=learner)
    session_feedback_give(booking_id=booking.pk, by=learner, usefulness=5, comment="Thanks")
    session_note_write(booking_id=booking.pk, by=surgeon, text="Try the privacy check-up.")
    return booking


def test_export_holds_feedback_given_and_next_steps_received(organisation, surgeon, learner):
    _session_with_feedback_and_note(organisation, surgeon, learner)

    data = account_export(person=learner)["after_the_day"]

    assert [(f["day"], f["usefulness"], f["comment"]) for f in data["feedback_given"]] == [
        ("Autumn surgery", 5, "Thanks")
    ]
    assert [n["next_steps"] for n in data["next_steps_received"]] == ["Try the privacy check-up."]


def test_erasing_a_learner_keeps_the_rating_anonymously_and_drops_notes(organisation, surgeon, learner):
    _session_with_feedback_and_note(organisation, surgeon, learner)

    account_delete(person=learner)

    assert list(Feedback.objects.values_list("author", "usefulness", "comment")) == [(None, 5, "")]
    assert SessionNote.objects.count() == 0


def test_erasing_a_surgeon_leaves_the_learners_notes_unsigned(organisation, surgeon, learner):
    _session_with_feedback_and_note(organisation, surgeon, learner)

    account_delete(person=surgeon)

    assert list(SessionNote.objects.values_list("written_by", "text")) == [(None, "Try the privacy check-up.")]
