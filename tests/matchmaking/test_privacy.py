"""Matchmaking requests in "My data": export and erasure."""

import pytest

from matchmaking.models import MatchRequest
from matchmaking.services import matchmaking_run
from people.privacy import account_delete, account_export
from tests.factories import add_request, add_surgeon, make_day

pytestmark = pytest.mark.django_db


def test_requests_are_in_the_persons_export_and_go_with_their_account(organisation, learner):
    day, topics = make_day(organisation)
    add_request(
        day, learner=learner, topics={topics["Blogging"]: 3}, preferences=[("perspective", "volunteer", "must")]
    )

    exported = account_export(person=learner)["matchmaking_requests"]
    account_delete(person=learner)

    assert exported[0]["topics"] == [{"topic": "Blogging", "priority": "Most important"}]
    assert exported[0]["preferences"] == ["I need: volunteer"]
    assert not MatchRequest.objects.exists()


def test_erasing_a_learner_removes_their_request_and_the_reason_they_were_left_out(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    add_request(day, topics={topics["Blogging"]: 1})
    left_out = add_request(day, topics={topics["Privacy settings"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    assert [row["request"] for row in proposal.unmatched] == [left_out.pk]

    account_delete(person=left_out.learner)

    proposal.refresh_from_db()
    assert proposal.unmatched == []
    assert not MatchRequest.objects.filter(pk=left_out.pk).exists()
