from io import StringIO

import pytest
from django.core.management import call_command

from surgeries.models import Commitment
from workshops.models import OpenSpace, Workshop

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_workshops_and_open_space_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    upcoming = Workshop.objects.exclude(day__status="finished")
    assert sorted(upcoming.values_list("title", flat=True)) == [
        "Taking better photos on your phone",
        "Wellbeing and boundaries online",
    ]
    assert list(OpenSpace.objects.values_list("title", flat=True)) == ["Open space and lunch"]
    facilitators = Commitment.objects.filter(role="facilitator", is_active=True, day__status="published")
    assert sorted(facilitators.values_list("person__email", flat=True)) == ["joan@example.org", "organiser@example.org"]
    # The finished demo day keeps its own two workshops, added once.
    assert Workshop.objects.filter(day__status="finished").count() == 2
