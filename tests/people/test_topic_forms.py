"""The booking form is kept rendered per organisation: a topic change shows at once."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from people.models import Topic
from surgeries.models import Booking
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form(client, slot) -> str:
    page = client.get(reverse("surgeries:book", args=[slot.day_id, slot.pk])).content.decode()
    return page.split("<form", 1)[1].split("</form>", 1)[0]


def test_a_new_topic_shows_on_the_booking_form_at_once(client, learner, slot, organisation):
    TopicFactory(organisation=organisation, name="Blogging")
    client.force_login(learner)
    assert "Video and podcasts" not in _form(client, slot)

    TopicFactory(organisation=organisation, name="Video and podcasts")

    assert "Video and podcasts" in _form(client, slot)


def test_a_renamed_or_retired_topic_changes_the_booking_form_at_once(client, learner, slot, organisation):
    blogging = TopicFactory(organisation=organisation, name="Blogging")
    trolls = TopicFactory(organisation=organisation, name="Trolls")
    client.force_login(learner)
    _form(client, slot)

    blogging.name = "Blogs and newsletters"
    blogging.save()
    trolls.is_active = False
    trolls.save()

    form = _form(client, slot)
    assert "Blogs and newsletters" in form
    assert "Blogging" not in form
    assert "Trolls" not in form


def test_a_deleted_topic_leaves_the_booking_form_at_once(client, learner, slot, organisation):
    TopicFactory(organisation=organisation, name="Blogging")
    TopicFactory(organisation=organisation, name="Trolls")
    client.force_login(learner)
    _form(client, slot)

    Topic.objects.get(name="Trolls").delete()

    assert "Trolls" not in _form(client, slot)


def test_another_organisations_topics_never_show_on_the_booking_form(client, learner, slot, organisation):
    TopicFactory(organisation=organisation, name="Blogging")
    other = TopicFactory(name="Not ours")
    client.force_login(learner)
    _form(client, slot)

    other.name = "Still not ours"
    other.save()

    form = _form(client, slot)
    assert "Blogging" in form
    assert "ours" not in form


def test_a_kept_booking_form_carries_a_token_that_books(learner, slot, organisation):
    topic = TopicFactory(organisation=organisation, name="Blogging")
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    _form(client, slot)  # rendered and kept

    form = _form(client, slot)  # from the cache
    (token,) = TOKEN.findall(form)
    response = client.post(
        reverse("surgeries:book", args=[slot.day_id, slot.pk]),
        {"csrfmiddlewaretoken": token, "topics": [topic.pk], "note": ""},
    )

    assert response.status_code == 302
    assert settings.CSRF_COOKIE_NAME in client.cookies
    assert list(Booking.objects.get(learner=learner).topics.all()) == [topic]


def test_a_kept_booking_form_takes_one_query_fewer(client, learner, slot, organisation, django_assert_num_queries):
    TopicFactory(organisation=organisation, name="Blogging")
    client.force_login(learner)
    url = reverse("surgeries:book", args=[slot.day_id, slot.pk])
    client.get(url)

    # session, user, the venue's zone, day, standing, slot, topics offered: no list of the organisation's topics
    with django_assert_num_queries(7):
        response = client.get(url)

    assert "Blogging" in response.content.decode()
