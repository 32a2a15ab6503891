from io import StringIO

import pytest
from django.core.management import call_command

from surgeries.models import Commitment
from workshops.models import OpenSpace, Workshop

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_workshops_and_open_space_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert sorted(Workshop.objects.values_list("title", flat=True)) == [
        "Taking better photos on your phone",
        "Wellbeing and boundaries online",
    ]
    assert list(OpenSpace.objects.values_list("title", flat=True)) == ["Open space and lunch"]
    facilitators = Commitment.objects.filter(role="facilitator", is_active=True)
    assert sorted(facilitators.values_list("person__email", flat=True)) == ["joan@example.org", "organiser@example.org"]
