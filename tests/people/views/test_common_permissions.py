"""Who may open which people page: each view against every persona."""

import pytest
from django.urls import reverse

from tests.factories import ORGANISER_ONLY, SIGNED_IN_PERSONAS, InvitationFactory, TopicFactory

pytestmark = pytest.mark.django_db

PERSONAS = SIGNED_IN_PERSONAS

MEMBERS = {"organiser": 200, "surgeon": 200, "learner": 200, "other_organiser": 404, "stranger": 404}
ANYONE_SIGNED_IN = dict.fromkeys(PERSONAS, 200)


def _organisation_urls(organisation, topic, learner):
    slug = organisation.slug
    return {
        "organisation_detail": (reverse("people:organisation_detail", args=[slug]), MEMBERS),
        "organisation_edit": (reverse("people:organisation_edit", args=[slug]), ORGANISER_ONLY),
        "topic_list": (reverse("people:topic_list", args=[slug]), ORGANISER_ONLY),
        "topic_edit": (reverse("people:topic_edit", args=[slug, topic.pk]), ORGANISER_ONLY),
        "invitation_list": (reverse("people:invitation_list", args=[slug]), ORGANISER_ONLY),
        "organisation_people": (reverse("people:organisation_people", args=[slug]), ORGANISER_ONLY),
        "organisation_audit": (reverse("people:organisation_audit", args=[slug]), ORGANISER_ONLY),
        "person_detail": (
            reverse("people:person_detail", args=[learner.pk]),
            # Only the person and their organisers have a relationship here; others get 404.
            {"organiser": 200, "surgeon": 404, "learner": 200, "other_organiser": 404, "stranger": 404},
        ),
        "my_profile": (reverse("people:my_profile"), ANYONE_SIGNED_IN),
        "profile_edit": (reverse("people:profile_edit"), ANYONE_SIGNED_IN),
        "skills_edit": (reverse("people:skills_edit"), ANYONE_SIGNED_IN),
        "profile_preview": (reverse("people:profile_preview", args=["organiser"]), ANYONE_SIGNED_IN),
        "my_data": (reverse("people:my_data"), ANYONE_SIGNED_IN),
        "data_export": (reverse("people:data_export"), ANYONE_SIGNED_IN),
        "account_delete": (reverse("people:account_delete"), ANYONE_SIGNED_IN),
        "my_audit": (reverse("people:my_audit"), ANYONE_SIGNED_IN),
        "invitation_accept": (reverse("people:invitation_accept", args=["known-token"]), ANYONE_SIGNED_IN),
    }


VIEW_NAMES = [
    "organisation_detail",
    "organisation_edit",
    "topic_list",
    "topic_edit",
    "invitation_list",
    "organisation_people",
    "organisation_audit",
    "person_detail",
    "my_profile",
    "profile_edit",
    "skills_edit",
    "profile_preview",
    "my_data",
    "data_export",
    "account_delete",
    "my_audit",
    "invitation_accept",
]


@pytest.fixture
def urls(organisation, organiser, surgeon, learner, other_organiser, stranger):
    topic = TopicFactory(organisation=organisation)
    InvitationFactory(organisation=organisation, token="known-token")
    return _organisation_urls(organisation, topic, learner)


@pytest.mark.parametrize("view_name", VIEW_NAMES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_view_status_for_each_persona(client, request, urls, view_name, persona):
    url, expected = urls[view_name]
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url)

    assert response.status_code == expected[persona]


@pytest.mark.parametrize("view_name", VIEW_NAMES)
def test_view_sends_anonymous_visitor_to_log_in(client, urls, view_name):
    url, _ = urls[view_name]

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("confirmed", ["", "yes"])
@pytest.mark.parametrize("persona", ["surgeon", "learner", "other_organiser", "stranger"])
def test_block_is_refused_to_everyone_but_organisers(client, request, organisation, learner, persona, confirmed):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("people:person_block", args=[organisation.slug, learner.pk])

    response = client.post(url, {"action": "block", "confirmed": confirmed})

    assert response.status_code == (403 if persona in {"surgeon", "learner"} else 404)
    assert not learner.organisation_blocks.exists()


@pytest.mark.parametrize("persona", ["surgeon", "learner", "other_organiser", "stranger"])
def test_topic_create_is_refused_to_everyone_but_organisers(client, request, organisation, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("people:topic_list", args=[organisation.slug]), {"name": "Sneaky topic"})

    assert response.status_code in {403, 404}
    assert not organisation.topics.filter(name="Sneaky topic").exists()


def test_other_organisation_topic_is_not_found(client, organiser, other_organiser):
    foreign_topic = TopicFactory(organisation=other_organiser.memberships.get().organisation)
    client.force_login(organiser)
    own_slug = organiser.memberships.get().organisation.slug

    response = client.get(reverse("people:topic_edit", args=[own_slug, foreign_topic.pk]))

    assert response.status_code == 404


def test_missing_organisation_is_not_found_like_a_foreign_one(client, stranger):
    client.force_login(stranger)

    response = client.get(reverse("people:organisation_people", args=["no-such-place"]))

    assert response.status_code == 404
