"""Pages for asking to join a network and answering requests: directory/views.py (joining)."""

import pytest
from django.urls import reverse

from directory.services import JOIN_NOT_POSSIBLE, join_request_create
from people.models import JoinRequest, Membership
from people.services import person_block
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _join_url(organisation):
    return reverse("directory:join", args=[organisation.slug])


def _list_url(organisation):
    return reverse("directory:join_requests", args=[organisation.slug])


def test_anonymous_visitor_is_sent_to_log_in(client, organisation):
    response = client.get(_join_url(organisation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_unknown_organisation_is_not_found(client, stranger):
    client.force_login(stranger)

    assert client.get(reverse("directory:join", args=["no-such-network"])).status_code == 404


def test_newcomer_asks_and_then_sees_the_waiting_request(client, organisation, stranger):
    client.force_login(stranger)

    response = client.post(_join_url(organisation), {"message": "I help at the library."}, follow=True)

    page = response.content.decode()
    assert "Your request is waiting for an organiser" in page
    assert "I help at the library." in page
    assert "Withdraw my request" in page
    assert JoinRequest.objects.get().person == stranger


def test_asking_twice_keeps_one_request(client, organisation, stranger):
    client.force_login(stranger)
    client.post(_join_url(organisation), {"message": "First"})

    response = client.post(_join_url(organisation), {"message": "Second"})

    assert response.status_code == 200
    assert "Your request is waiting for an organiser" in response.content.decode()
    assert list(JoinRequest.objects.values_list("message", flat=True)) == ["First"]


def test_too_long_message_is_shown_as_an_error_and_nothing_saved(client, organisation, stranger):
    client.force_login(stranger)

    response = client.post(_join_url(organisation), {"message": "x" * 501})

    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()
    assert JoinRequest.objects.count() == 0


def test_member_is_sent_to_the_organisation_page(client, organisation, learner):
    client.force_login(learner)

    response = client.post(_join_url(organisation), {"message": ""})

    assert response.url == reverse("people:organisation_detail", args=[organisation.slug])
    assert JoinRequest.objects.count() == 0


def test_blocked_person_sees_a_neutral_message_and_cannot_ask(client, organisation, organiser, stranger):
    person_block(organisation=organisation, person=stranger, actor=organiser)
    client.force_login(stranger)

    response = client.post(_join_url(organisation), {"message": "Please"})

    page = response.content.decode()
    assert JOIN_NOT_POSSIBLE in page
    assert "Ask to join" not in page
    assert "blocked" not in page.lower()
    assert JoinRequest.objects.count() == 0


def test_person_withdraws_their_request(client, organisation, stranger):
    join_request_create(person=stranger, organisation=organisation, message="Hi")
    client.force_login(stranger)

    response = client.post(reverse("directory:join_withdraw", args=[organisation.slug]), follow=True)

    assert "is withdrawn" in response.content.decode()
    assert JoinRequest.objects.get().status == JoinRequest.Status.WITHDRAWN


def test_withdraw_is_post_only(client, organisation, stranger):
    client.force_login(stranger)

    assert client.get(reverse("directory:join_withdraw", args=[organisation.slug])).status_code == 405


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("organiser", 200), ("surgeon", 403), ("learner", 403), ("other_organiser", 404), ("stranger", 404)],
)
def test_request_list_is_for_the_organisations_organisers(client, request, organisation, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_list_url(organisation)).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("learner", 403), ("other_organiser", 404), ("stranger", 404), ("newcomer", 404)]
)
@pytest.mark.parametrize("action", ["join_request_approve", "join_request_decline"])
def test_only_the_organisations_organisers_answer(client, request, organisation, persona, expected, action):
    newcomer = UserFactory()
    join_request = join_request_create(person=newcomer, organisation=organisation)
    client.force_login(newcomer if persona == "newcomer" else request.getfixturevalue(persona))

    response = client.post(reverse(f"directory:{action}", args=[organisation.slug, join_request.pk]))

    assert response.status_code == expected
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(person=newcomer).exists()


def test_organiser_approves_from_the_list(client, organisation, organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation, message="Hello there")
    client.force_login(organiser)
    assert "Hello there" in client.get(_list_url(organisation)).content.decode()

    response = client.post(
        reverse("directory:join_request_approve", args=[organisation.slug, join_request.pk]), follow=True
    )

    assert f"{stranger.display_name} is now a member" in response.content.decode()
    assert Membership.objects.filter(person=stranger, organisation=organisation).exists()
    assert "No requests are waiting." in response.content.decode()


def test_approve_is_post_only(client, organisation, organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation)
    client.force_login(organiser)

    response = client.get(reverse("directory:join_request_approve", args=[organisation.slug, join_request.pk]))

    assert response.status_code == 405


def test_organiser_declines_with_a_reason(client, organisation, organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation)
    client.force_login(organiser)
    url = reverse("directory:join_request_decline", args=[organisation.slug, join_request.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "Members live in Leeds."}, follow=True)

    assert "is declined" in response.content.decode()
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decline_reason) == (JoinRequest.Status.DECLINED, "Members live in Leeds.")


def test_too_long_decline_reason_is_refused(client, organisation, organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation)
    client.force_login(organiser)

    response = client.post(
        reverse("directory:join_request_decline", args=[organisation.slug, join_request.pk]), {"reason": "x" * 501}
    )

    assert response.status_code == 200
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("request_id", [999999, 2**63])
def test_unknown_or_too_large_request_id_is_not_found(client, organisation, organiser, request_id):
    client.force_login(organiser)

    response = client.get(reverse("directory:join_request_decline", args=[organisation.slug, request_id]))

    assert response.status_code == 404


def test_approving_an_unknown_request_says_so(client, organisation, organiser):
    client.force_login(organiser)

    response = client.post(reverse("directory:join_request_approve", args=[organisation.slug, 2**63]), follow=True)

    assert "There is no such request." in response.content.decode()


@pytest.mark.parametrize("size", [1, 20])
def test_request_list_runs_a_fixed_number_of_queries(client, organisation, organiser, size, django_assert_num_queries):
    for _ in range(size):
        join_request_create(person=UserFactory(), organisation=organisation, message="Hello")
    client.force_login(organiser)
    client.get(_list_url(organisation))

    with django_assert_num_queries(4):
        response = client.get(_list_url(organisation))

    assert len(response.context["waiting"]) == size


def test_organise_page_counts_waiting_requests_and_links_the_network_pages(client, organisation, organiser):
    join_request_create(person=UserFactory(), organisation=organisation)
    join_request_create(person=UserFactory(), organisation=organisation)
    client.force_login(organiser)

    page = client.get(reverse("surgeries:organise_home")).content.decode()

    assert "2 requests to join waiting" in page
    for name in ("people:topic_list", "people:organisation_people", "people:invitation_list"):
        assert f'href="{reverse(name, args=[organisation.slug])}"' in page
    assert f'href="{_list_url(organisation)}"' in page


def test_accepting_an_invitation_leads_to_choosing_topics(client, organisation, stranger):
    InvitationFactory(organisation=organisation, email=stranger.email, token="welcome-link")
    client.force_login(stranger)

    response = client.post(reverse("people:invitation_accept", args=["welcome-link"]))

    assert response.url == reverse("people:skills_edit")


def test_day_page_offers_outsiders_to_ask_to_join_and_not_members(client, day, stranger, learner):
    join_url = _join_url(day.organisation)
    client.force_login(stranger)
    assert f'href="{join_url}"' in client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    client.force_login(learner)
    assert f'href="{join_url}"' not in client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()
