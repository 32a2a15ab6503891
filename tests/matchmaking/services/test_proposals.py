"""Running and adjusting matchmaking. Requests: test_requests.py; confirming: test_confirm.py."""

import pytest

from matchmaking.models import MatchProposal, MatchRequest
from matchmaking.selectors import reason_for_learner
from matchmaking.services import (
    MatchmakingError,
    matchmaking_run,
    proposal_pair_lock,
    proposal_pair_remove,
    proposal_slot_choose,
)
from people.enums import Visibility
from people.models import PersonPerspective
from surgeries import errors
from tests.factories import UserFactory, add_request, add_surgeon, booked_slot, confirm_now, make_day

pytestmark = pytest.mark.django_db


def _pairs(proposal):
    return {(p.request.learner_id, p.slot_id) for p in proposal.pairs.select_related("request")}


def test_matchmaking_run_matches_most_learners_then_best_fit(organisation, organiser):
    day, topics = make_day(organisation)
    blog, privacy = topics["Blogging"], topics["Privacy settings"]
    _, blog_slots = add_surgeon(day, offers={blog: 3}, slots=1)
    _, both_slots = add_surgeon(day, offers={blog: 1, privacy: 3}, slots=1)
    only_blog = add_request(day, topics={blog: 3})
    both = add_request(day, topics={blog: 1, privacy: 3})

    proposal = matchmaking_run(day=day, by=organiser).proposal

    assert _pairs(proposal) == {(only_blog.learner_id, blog_slots[0].pk), (both.learner_id, both_slots[0].pk)}
    assert proposal.request_count == 2
    assert proposal.unmatched == []


def test_matchmaking_run_explains_who_is_left_out(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    lonely = add_request(day, topics={topics["Privacy settings"]: 2})

    proposal = matchmaking_run(day=day, by=organiser).proposal

    assert proposal.unmatched == [
        {"request": lonely.pk, "code": "no_topic", "text": "no surgeon offers Privacy settings"}
    ]


def test_matchmaking_run_is_for_organisers_only(organisation, surgeon):
    day, _ = make_day(organisation)

    with pytest.raises(errors.NotAllowed):
        matchmaking_run(day=day, by=surgeon)


def test_locked_pair_survives_a_rerun(organisation, organiser):
    day, topics = make_day(organisation)
    blog = topics["Blogging"]
    _, slots = add_surgeon(day, offers={blog: 2}, slots=2)
    request = add_request(day, topics={blog: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    pair = proposal.pairs.get()
    other_slot = next(slot for slot in slots if slot.pk != pair.slot_id)
    proposal_slot_choose(day=day, request_id=request.pk, slot_id=other_slot.pk, by=organiser)

    rerun = matchmaking_run(day=day, by=organiser).proposal

    kept = rerun.pairs.get()
    assert (kept.slot_id, kept.locked) == (other_slot.pk, True)
    assert MatchProposal.objects.filter(day=day).count() == 1


def test_lock_and_remove_change_the_draft(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    request = add_request(day, topics={topics["Blogging"]: 1})
    pair = matchmaking_run(day=day, by=organiser).proposal.pairs.get()

    assert proposal_pair_lock(day=day, pair_id=pair.pk, by=organiser).locked is True
    proposal_pair_remove(day=day, pair_id=pair.pk, by=organiser)

    proposal = MatchProposal.objects.get(day=day)
    assert proposal.pairs.count() == 0
    assert [row["request"] for row in proposal.unmatched] == [request.pk]


def test_choosing_a_held_slot_swaps_the_two_learners(organisation, organiser):
    day, topics = make_day(organisation)
    blog = topics["Blogging"]
    add_surgeon(day, offers={blog: 2}, slots=2)
    first, second = add_request(day, topics={blog: 1}), add_request(day, topics={blog: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    before = {p.request_id: p.slot_id for p in proposal.pairs.all()}

    proposal_slot_choose(day=day, request_id=first.pk, slot_id=before[second.pk], by=organiser)

    after = {p.request_id: p.slot_id for p in proposal.pairs.all()}
    assert after == {first.pk: before[second.pk], second.pk: before[first.pk]}


def test_choosing_a_slot_that_does_not_suit_is_refused(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    _, privacy_slots = add_surgeon(day, offers={topics["Privacy settings"]: 2}, slots=1)
    request = add_request(day, topics={topics["Blogging"]: 1})
    matchmaking_run(day=day, by=organiser)

    with pytest.raises(MatchmakingError, match="does not suit"):
        proposal_slot_choose(day=day, request_id=request.pk, slot_id=privacy_slots[0].pk, by=organiser)


def test_rerun_after_confirm_keeps_confirmed_bookings(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    first = add_request(day, topics={topics["Blogging"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    confirm_now(day, proposal, organiser)
    second = add_request(day, topics={topics["Blogging"]: 1})

    rerun = matchmaking_run(day=day, by=organiser).proposal

    first.refresh_from_db()
    assert first.booking.is_active
    assert [(p.request_id) for p in rerun.pairs.all()] == [second.pk]
    assert rerun.pairs.get().slot_id != first.booking.slot_id


def test_matched_learner_is_told_only_what_the_surgeon_shows_them_now(organisation, organiser, learner):
    day, topics = make_day(organisation)
    surgeon, _ = add_surgeon(
        day, offers={topics["Blogging"]: 2}, slots=1, perspectives={"volunteer": Visibility.PAIRED}
    )
    add_request(
        day, learner=learner, topics={topics["Blogging"]: 1}, preferences=[("perspective", "volunteer", "wish")]
    )
    proposal = matchmaking_run(day=day, by=organiser).proposal
    confirm_now(day, proposal, organiser)
    request = MatchRequest.objects.get(learner=learner)
    assert reason_for_learner(reasons=request.reasons, surgeon_id=surgeon.pk) == "both: Blogging; prefers a volunteer"

    PersonPerspective.objects.filter(person=surgeon).update(visibility=Visibility.ONLY_ME)

    assert reason_for_learner(reasons=request.reasons, surgeon_id=surgeon.pk) == "both: Blogging"


def test_rerun_lets_go_of_a_lock_whose_slot_was_booked_by_hand(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    request = add_request(day, topics={topics["Blogging"]: 1})
    pair = matchmaking_run(day=day, by=organiser).proposal.pairs.get()
    proposal_pair_lock(day=day, pair_id=pair.pk, by=organiser)
    booked_slot(slot=pair.slot, learner=UserFactory())

    result = matchmaking_run(day=day, by=organiser)

    moved = result.proposal.pairs.get()
    assert result.dropped_locks == 1
    assert (moved.request_id, moved.locked) == (request.pk, False)
    assert moved.slot_id != pair.slot_id
