"""A city-wide day (250 surgeons, 1,500 free sessions) stays light on a phone over mobile data."""

import pytest
from django.urls import reverse

from people.enums import Perspective
from people.models import Topic
from tests.factories import big_day

pytestmark = pytest.mark.django_db

MOST_BYTES = 100_000


@pytest.fixture
def city_day(organisation):
    return big_day(organisation, surgeons=250, slots_each=6)


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # zone, day, slot start times, slots, topics, commitments, sessions taken (then the cache)
        ({}, 7),
        ({"when": "10"}, 7),
        ({"when": "afternoon"}, 7),
        ({"when": "10", "page": "999"}, 7),
        ({"group": "topic"}, 7),
        ({"group": "topic", "topic": "first"}, 7),
        ({"topic": "first"}, 7),
        ({"when": "not-an-hour", "topic": "no-such-topic"}, 7),
    ],
)
def test_every_view_of_a_big_day_is_under_100_kb_for_a_visitor(
    client, django_assert_num_queries, city_day, params, queries
):
    if params.get("topic") == "first":
        params["topic"] = str(Topic.objects.filter(organisation=city_day.organisation).values_list("pk")[0][0])

    with django_assert_num_queries(queries):
        response = client.get(reverse("surgeries:day_detail", args=[city_day.pk]), params)

    assert response.status_code == 200
    assert "free sessions" in response.content.decode()
    assert len(response.content) < MOST_BYTES


@pytest.mark.parametrize(
    ("params", "headers", "queries"),
    [
        # session, user, zone, day, access, slot start times, slots, topics, commitments, sessions taken,
        # own bookings, waiting, is surgeon, topics for the waiting-list form
        ({}, {}, 15),
        ({"group": "topic"}, {}, 15),
        # and the surgeons who show the perspective
        ({"perspective": Perspective.LIVED_EXPERIENCE}, {}, 16),
        # only the results: no own bookings, waiting list or form
        ({"when": "11"}, {"HX-Request": "true"}, 10),
    ],
)
def test_every_view_of_a_big_day_is_under_100_kb_for_a_learner(
    client, django_assert_num_queries, learner, city_day, params, headers, queries
):
    client.force_login(learner)

    with django_assert_num_queries(queries):
        response = client.get(reverse("surgeries:day_detail", args=[city_day.pk]), params, headers=headers)

    assert response.status_code == 200
    assert len(response.content) < MOST_BYTES


def test_big_day_counts_every_free_session(client, city_day):
    page = client.get(reverse("surgeries:day_detail", args=[city_day.pk])).content.decode()

    assert "1500 free sessions." in page
