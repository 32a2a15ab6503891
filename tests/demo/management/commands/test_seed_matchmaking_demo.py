"""`manage.py seed_matchmaking_demo`: a demo day full of requests, ready to match."""

from io import StringIO

import pytest
from django.core.management import call_command

from matchmaking.models import MatchRequest
from surgeries.models import DaySurgeon

pytestmark = pytest.mark.django_db


def test_it_fills_the_demo_day_with_the_requests_asked_for_and_enough_surgeons():
    output = StringIO()

    call_command("seed_matchmaking_demo", "--learners", "12", stdout=output)

    requests = MatchRequest.objects.filter(status=MatchRequest.Status.OPEN)
    day = requests.first().day
    assert requests.count() == 12
    assert requests.values("day").distinct().count() == 1
    assert DaySurgeon.objects.filter(day=day).count() >= 4
    assert "12 new requests" in output.getvalue()
