from io import StringIO

import pytest
from django.core.management import call_command

from people.models import PersonPerspective, Profile, Topic, TopicOffer, TopicWant, User
from people.visibility import visible_profile

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (User, Topic, Profile, PersonPerspective, TopicOffer, TopicWant)]


def test_seed_demo_twice_changes_nothing_the_second_time():
    call_command("seed_demo", stdout=StringIO())
    first = _counts()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first
    assert first[1] >= 8


def test_seed_demo_keeps_a_learner_lived_experience_private():
    call_command("seed_demo", stdout=StringIO())
    organiser = User.objects.get(email="organiser@example.org")
    alex = User.objects.get(email="alex@example.org")

    seen = visible_profile(viewer=organiser, person=alex)

    assert seen.perspectives == ()
    assert "Blogging" in seen.topics_wanted
