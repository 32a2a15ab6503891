"""The participant's feedback page, the register's "did not come" buttons, and
facilitators' feedback on the day: each with who is refused."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surgeries.models import Feedback
from tests.factories import MembershipFactory, UserFactory
from tests.surgeries.afterday_helpers import past_day
from tests.workshops.afterday_helpers import past_place, past_workshop
from workshops.models import Registration, WorkshopFeedback


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
    from tests.factories import WorkshopFactory, registered

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
