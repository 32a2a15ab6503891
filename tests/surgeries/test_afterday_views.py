import pytest
from django.urls import reverse

from surgeries.models import Feedback, SessionNote
from tests.factories import DaySurgeonFactory
from tests.surgeries.afterday_helpers import past_day, past_session

PERSONAS = ["organiser", "surgeon", "learner", "other_organiser", "stranger"]


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
    from tests.factories import SlotFactory, booked_slot

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
    from django.test import Client

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
    from surgeries.services.afterday import session_feedback_give, session_note_write

    for index in range(size):
        booking = past_session(finished_day, surgeon=surgeon, learner=learner, index=index)
        session_note_write(booking_id=booking.pk, by=surgeon, text="Next")
        session_feedback_give(booking_id=booking.pk, by=learner, usefulness=4)
    client.force_login(learner)
    url = reverse("afterday:my_sessions")
    client.get(url)

    with django_assert_num_queries(9):
        client.get(url)
