import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from afterday.models import Feedback, SessionNote, WorkshopFeedback
from afterday.services import session_feedback_give, session_note_write
from tests.factories import (
    SIGNED_IN_PERSONAS,
    DaySurgeonFactory,
    MembershipFactory,
    SlotFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    past_day,
    past_place,
    past_session,
    past_workshop,
    registered,
)
from workshops.models import Registration

PERSONAS = SIGNED_IN_PERSONAS


@pytest.fixture
def finished_day(organisation):
    return past_day(organisation, title="Autumn surgery")


@pytest.fixture
def session(finished_day, surgeon, learner):
    return past_session(finished_day, surgeon=surgeon, learner=learner)


def _status(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


# --- Permissions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 403), ("surgeon", 403), ("learner", 200), ("other_organiser", 404), ("stranger", 404)],
)
def test_session_feedback_page_is_only_for_the_learner(client, request, session, persona, expected):
    url = reverse("afterday:session_feedback", args=[session.pk])

    assert _status(client, request.getfixturevalue(persona), url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 403), ("surgeon", 200), ("learner", 403), ("other_organiser", 404), ("stranger", 404)],
)
def test_next_steps_page_is_only_for_the_surgeon(client, request, session, persona, expected):
    url = reverse("afterday:session_note", args=[session.pk])

    assert _status(client, request.getfixturevalue(persona), url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 403), ("surgeon", 200), ("learner", 403), ("other_organiser", 404), ("stranger", 404)],
)
def test_day_feedback_page_is_only_for_the_days_surgeons(client, request, session, persona, expected):
    url = reverse("afterday:day_feedback", args=[session.day_id])

    assert _status(client, request.getfixturevalue(persona), url) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 200), ("surgeon", 403), ("learner", 403), ("other_organiser", 404), ("stranger", 404)],
)
def test_day_report_and_csv_are_for_organisers_of_that_organisation(client, request, session, persona, expected):
    user = request.getfixturevalue(persona)
    page = reverse("afterday:day_report", args=[session.day_id])
    csv_url = reverse("afterday:day_report_csv", args=[session.day_id])

    assert (_status(client, user, page), client.get(csv_url).status_code) == (expected, expected)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 200), ("surgeon", 403), ("learner", 403), ("other_organiser", 404), ("stranger", 404)],
)
def test_organisation_report_and_csv_are_for_its_organisers(client, request, organisation, persona, expected):
    user = request.getfixturevalue(persona)
    page = reverse("afterday:organisation_report", args=[organisation.slug])
    csv_url = reverse("afterday:organisation_report_csv", args=[organisation.slug])

    assert (_status(client, user, page), client.get(csv_url).status_code) == (expected, expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_sessions_and_download_open_for_every_signed_in_person(client, request, session, persona):
    client.force_login(request.getfixturevalue(persona))

    pages = [client.get(reverse("afterday:my_sessions")), client.get(reverse("afterday:notes_download"))]

    assert [page.status_code for page in pages] == [200, 200]


@pytest.mark.parametrize(
    "name_args",
    [
        ("afterday:my_sessions", []),
        ("afterday:notes_download", []),
        ("afterday:session_feedback", ["session"]),
        ("afterday:session_note", ["session"]),
        ("afterday:day_feedback", ["day"]),
        ("afterday:day_report", ["day"]),
        ("afterday:day_report_csv", ["day"]),
        ("afterday:organisation_report", ["slug"]),
        ("afterday:organisation_report_csv", ["slug"]),
    ],
)
def test_anonymous_visitor_is_sent_to_log_in(client, session, organisation, name_args):
    name, arg_names = name_args
    values = {"session": session.pk, "day": session.day_id, "slug": organisation.slug}
    url = reverse(name, args=[values[a] for a in arg_names])

    response = client.get(url)

    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))


# --- Feedback -------------------------------------------------------------------


def test_learner_gives_feedback_with_a_comment_for_the_surgeon(client, session, learner):
    client.force_login(learner)

    response = client.post(
        reverse("afterday:session_feedback", args=[session.pk]),
        {"usefulness": "4", "comment": "Thanks, I feel safer now.", "comment_audience": "surgeon"},
    )

    assert response.status_code == 302
    saved = Feedback.objects.get()
    assert (saved.usefulness, saved.comment, saved.comment_audience, saved.role) == (
        4,
        "Thanks, I feel safer now.",
        "surgeon",
        "learner",
    )


def test_feedback_without_a_rating_shows_the_error_next_to_the_field_and_saves_nothing(client, session, learner):
    client.force_login(learner)

    response = client.post(reverse("afterday:session_feedback", args=[session.pk]), {"comment": "Lovely"})

    assert response.status_code == 200
    assert "usefulness" in response.context["form"].errors
    assert "novalidate" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_feedback_out_of_range_is_refused(client, session, learner):
    client.force_login(learner)

    client.post(
        reverse("afterday:session_feedback", args=[session.pk]), {"usefulness": "9", "comment_audience": "surgeon"}
    )

    assert Feedback.objects.count() == 0


def test_giving_feedback_again_replaces_the_first_answer(client, session, learner):
    client.force_login(learner)
    url = reverse("afterday:session_feedback", args=[session.pk])

    client.post(url, {"usefulness": "2", "comment_audience": "organisers"})
    client.post(url, {"usefulness": "5", "comment_audience": "organisers"})

    assert list(Feedback.objects.values_list("usefulness", flat=True)) == [5]


def test_feedback_before_the_session_starts_is_refused(client, organisation, learner, surgeon):
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day__organisation=organisation, person=surgeon))
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(learner)

    response = client.post(
        reverse("afterday:session_feedback", args=[booking.pk]), {"usefulness": "5", "comment_audience": "surgeon"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["You can say how it went once the session has started."]
    assert Feedback.objects.count() == 0


def test_surgeon_sees_only_comments_shared_with_them_and_no_ratings(client, finished_day, surgeon):
    shared = past_session(finished_day, surgeon=surgeon, index=0)
    private = past_session(finished_day, surgeon=surgeon, index=1)
    Feedback.objects.create(
        day=finished_day, booking=shared, author=shared.learner, role="learner", usefulness=2,
        comment="Shared with you", comment_audience="surgeon",
    )  # fmt: skip
    Feedback.objects.create(
        day=finished_day, booking=private, author=private.learner, role="learner", usefulness=1,
        comment="Only organisers", comment_audience="organisers",
    )  # fmt: skip
    client.force_login(surgeon)

    page = client.get(reverse("afterday:my_sessions")).content.decode()

    assert ("Shared with you" in page, "Only organisers" in page, "rated" in page) == (True, False, False)


def test_surgeon_gives_feedback_on_the_day(client, session, surgeon):
    client.force_login(surgeon)

    client.post(reverse("afterday:day_feedback", args=[session.day_id]), {"usefulness": "3", "comment": "Busy!"})

    saved = Feedback.objects.get()
    assert (saved.role, saved.booking, saved.usefulness, saved.comment_audience) == ("surgeon", None, 3, "organisers")


# --- Next steps -----------------------------------------------------------------


def test_surgeon_writes_next_steps_and_the_learner_reads_and_downloads_them(client, session, surgeon, learner):
    client.force_login(surgeon)
    client.post(reverse("afterday:session_note", args=[session.pk]), {"text": "1. Turn on two-step login."})

    client.force_login(learner)
    page = client.get(reverse("afterday:my_sessions")).content.decode()
    download = client.get(reverse("afterday:notes_download"))

    assert "Turn on two-step login." in page
    assert download["Content-Type"] == "text/markdown; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="my-next-steps.md"'
    assert "1. Turn on two-step login." in download.content.decode()
    assert "Autumn surgery" in download.content.decode()


def test_empty_next_steps_remove_the_note(client, session, surgeon):
    client.force_login(surgeon)
    url = reverse("afterday:session_note", args=[session.pk])
    client.post(url, {"text": "Something"})

    client.post(url, {"text": "   "})

    assert SessionNote.objects.count() == 0


def test_next_steps_too_long_are_refused_with_a_message(client, session, surgeon):
    client.force_login(surgeon)

    response = client.post(reverse("afterday:session_note", args=[session.pk]), {"text": "x" * 2001})

    assert "text" in response.context["form"].errors
    assert SessionNote.objects.count() == 0


def test_feedback_form_needs_the_csrf_token(session, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(
        reverse("afterday:session_feedback", args=[session.pk]), {"usefulness": "5", "comment_audience": "surgeon"}
    )

    assert response.status_code == 403
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize("size", [1, 15])
def test_my_sessions_runs_a_fixed_number_of_queries(
    client, finished_day, learner, surgeon, size, django_assert_num_queries
):

    for index in range(size):
        booking = past_session(finished_day, surgeon=surgeon, learner=learner, index=index)
        session_note_write(booking_id=booking.pk, by=surgeon, text="Next")
        session_feedback_give(booking_id=booking.pk, by=learner, usefulness=4)
    client.force_login(learner)
    url = reverse("afterday:my_sessions")
    client.get(url)

    with django_assert_num_queries(9):
        client.get(url)


# --- Workshops ----------------------------------------------------------------

# The participant's feedback page, the register's "did not come" buttons, and
# facilitators' feedback on the day: each with who is refused.


@pytest.fixture
def place(organisation, learner, surgeon):
    return past_place(past_workshop(past_day(organisation), facilitator=surgeon, title="Video for beginners"), learner)


def _feedback_url(place):
    return reverse("workshops:workshop_feedback", args=[place.pk])


def test_participant_gives_feedback_and_lands_on_my_sessions(client, place, learner):
    client.force_login(learner)
    assert "Video for beginners" in client.get(_feedback_url(place)).content.decode()

    response = client.post(
        _feedback_url(place), {"usefulness": "4", "comment": "Clear", "comment_audience": "facilitators"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("afterday:my_sessions")
    assert "Thank you. Your feedback is saved." in response.content.decode()
    assert WorkshopFeedback.objects.get().comment_audience == "facilitators"


def test_missing_score_is_explained_next_to_the_field_and_nothing_is_saved(client, place, learner):
    client.force_login(learner)

    response = client.post(_feedback_url(place), {"comment": "Clear", "comment_audience": "organisers"})

    assert response.status_code == 200
    assert 'id="error_1_id_usefulness"' in response.content.decode()
    assert WorkshopFeedback.objects.count() == 0


def test_the_form_shows_the_earlier_answer(client, place, learner):
    WorkshopFeedback.objects.create(registration=place, workshop=place.workshop, author=learner, usefulness=2)
    client.force_login(learner)

    page = client.get(_feedback_url(place)).content.decode()

    (two,) = re.findall(r'<input[^>]*name="usefulness"[^>]*value="2"[^>]*>', page)
    assert "checked" in two


@pytest.mark.parametrize("who", ["surgeon", "organiser", "stranger"])
def test_nobody_else_can_open_or_post_someone_elses_feedback(client, place, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(_feedback_url(place)).status_code == 404
    assert client.post(_feedback_url(place), {"usefulness": "1", "comment_audience": "organisers"}).status_code == 404
    assert WorkshopFeedback.objects.count() == 0


def test_signed_out_visitors_are_sent_to_log_in(client, place):
    response = client.get(_feedback_url(place))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- The register -------------------------------------------------------------------


def _no_show_url(place):
    return reverse("workshops:registration_no_show", args=[place.workshop_id, place.pk])


def test_facilitator_marks_did_not_come_from_the_register_and_can_undo(client, place, surgeon, learner):
    client.force_login(surgeon)
    register = reverse("workshops:attendee_register", args=[place.workshop_id])
    assert "Did not come<span" in client.get(register).content.decode()

    marked = client.post(_no_show_url(place), follow=True)
    assert "Lee Learner is marked as did not come." in marked.content.decode()
    assert Registration.objects.get(pk=place.pk).is_no_show

    client.post(_no_show_url(place), {"clear": "1"})
    assert not Registration.objects.get(pk=place.pk).is_no_show


def test_attendance_buttons_appear_only_once_the_workshop_has_started(client, organisation, organiser):
    workshop = WorkshopFactory(day__organisation=organisation)
    registered(workshop=workshop)
    client.force_login(organiser)

    page = client.get(reverse("workshops:attendee_register", args=[workshop.pk])).content.decode()

    assert workshop.starts_at > timezone.now()
    assert "Attendance</th>" not in page


@pytest.mark.parametrize(("who", "status"), [("learner", 403), ("stranger", 404), ("other_organiser", 404)])
def test_others_cannot_mark_attendance(client, place, who, status, request):
    client.force_login(request.getfixturevalue(who))

    assert client.post(_no_show_url(place)).status_code == status
    assert not Registration.objects.get(pk=place.pk).is_no_show


def test_marking_needs_a_post(client, place, surgeon):
    client.force_login(surgeon)

    assert client.get(_no_show_url(place)).status_code == 405


# --- Facilitators' feedback on the day ------------------------------------------------


def test_a_facilitator_gives_feedback_on_the_day(client, place, organisation):
    facilitator = UserFactory()
    MembershipFactory(organisation=organisation, person=facilitator)
    past_workshop(place.workshop.day, facilitator=facilitator, index=2)
    client.force_login(facilitator)

    response = client.post(
        reverse("afterday:day_feedback", args=[place.workshop.day_id]), {"usefulness": "5", "comment": "Great room"}
    )

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.role, feedback.usefulness, feedback.booking) == ("facilitator", 5, None)


def test_a_participant_cannot_give_day_feedback_as_a_helper(client, place, learner):
    client.force_login(learner)

    response = client.post(reverse("afterday:day_feedback", args=[place.workshop.day_id]), {"usefulness": "5"})

    assert response.status_code == 403
    assert Feedback.objects.count() == 0
