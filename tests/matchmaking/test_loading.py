"""Turning a day's models into a matchmaking instance."""

from datetime import timedelta

import pytest

from matchmaking.loading import build_day_problem, language_set
from people.enums import Visibility
from people.models import OrganisationBlock
from tests.factories import add_request, add_surgeon, booked_slot, busy, make_day

pytestmark = pytest.mark.django_db


def _pairs(problem):
    return {(p.learner_id, p.slot_id) for p in problem.instance.pairs}


def test_language_set_normalises_and_defaults_to_english():
    assert language_set(" english, URDU;  british sign language") == {"English", "URDU", "British sign language"}
    assert language_set("") == {"English"}


def test_build_day_problem_pairs_a_learner_with_every_suitable_free_slot(organisation):
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 3})
    request = add_request(day, topics={topics["Blogging"]: 2})

    problem = build_day_problem(day=day)

    assert _pairs(problem) == {(request.learner_id, slot.pk) for slot in slots}
    assert {p.fit for p in problem.instance.pairs} == {6}
    assert problem.request_ids == {request.learner_id: request.pk}


def test_build_day_problem_leaves_out_slots_that_clash_with_the_learners_day(organisation):
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 2})
    request = add_request(day, topics={topics["Blogging"]: 1})
    busy(request.learner, day, slots[0].starts_at + timedelta(minutes=10), minutes=15)

    assert _pairs(build_day_problem(day=day)) == {(request.learner_id, slots[1].pk)}


def test_build_day_problem_leaves_out_booked_slots_and_counts_sessions_left(organisation):
    day, topics = make_day(organisation)
    surgeon, slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=3, max_sessions=2)
    booked_slot(slot=slots[0])
    add_request(day, topics={topics["Blogging"]: 1})

    problem = build_day_problem(day=day)

    assert {p.slot_id for p in problem.instance.pairs} == {slots[1].pk, slots[2].pk}
    assert [(s.id, s.max_sessions) for s in problem.instance.surgeons] == [(surgeon.pk, 1)]


def test_build_day_problem_never_pairs_someone_with_themselves_or_in_their_own_slot_times(organisation):
    day, topics = make_day(organisation)
    helper, _ = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    _, other_slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    add_request(day, learner=helper, topics={topics["Blogging"]: 1})

    # The 10:00 slot of the other surgeon is when the helper is helping; 10:30 is free.
    assert _pairs(build_day_problem(day=day)) == {(helper.pk, other_slots[1].pk)}


def test_build_day_problem_leaves_out_blocked_learners_and_surgeons(organisation):
    day, topics = make_day(organisation)
    blocked_surgeon, _ = add_surgeon(day, offers={topics["Blogging"]: 2})
    _, fine_slots = add_surgeon(day, offers={topics["Blogging"]: 2})
    ok = add_request(day, topics={topics["Blogging"]: 1})
    blocked = add_request(day, topics={topics["Blogging"]: 1})
    OrganisationBlock.objects.create(organisation=organisation, person=blocked.learner)
    OrganisationBlock.objects.create(organisation=organisation, person=blocked_surgeon)

    problem = build_day_problem(day=day)

    assert problem.instance.learners == (ok.learner_id,)
    assert _pairs(problem) == {(ok.learner_id, slot.pk) for slot in fine_slots}


def test_build_day_problem_applies_musts_only_with_perspectives_shown_to_organisers(organisation):
    day, topics = make_day(organisation)
    blog = topics["Blogging"]
    add_surgeon(day, offers={blog: 2}, slots=1, perspectives={"lived_experience": Visibility.ONLY_ME})
    _, shown = add_surgeon(day, offers={blog: 2}, slots=1, perspectives={"lived_experience": Visibility.ORGANISERS})
    request = add_request(day, topics={blog: 1}, preferences=[("perspective", "lived_experience", "must")])

    problem = build_day_problem(day=day)

    assert _pairs(problem) == {(request.learner_id, shown[0].pk)}
    (pair,) = problem.instance.pairs
    # Shown to organisers only: usable for matching, but not for telling the learner.
    assert [(r.value, r.visible_to_pair) for r in pair.reasons if r.kind == "perspective"] == [
        ("lived_experience", False)
    ]


def test_build_day_problem_respects_language_musts_and_the_learners_times(organisation):
    day, topics = make_day(organisation)
    blog = topics["Blogging"]
    add_surgeon(day, offers={blog: 2}, slots=2)
    _, urdu = add_surgeon(day, offers={blog: 2}, slots=2, languages="English, Urdu")
    window = (day.starts_at + timedelta(minutes=30), day.starts_at + timedelta(minutes=60))
    request = add_request(day, topics={blog: 1}, preferences=[("language", "Urdu", "must")], windows=[window])

    assert _pairs(build_day_problem(day=day)) == {(request.learner_id, urdu[1].pk)}


def test_build_day_problem_query_count_does_not_grow(organisation, django_assert_num_queries):
    day, topics = make_day(organisation)
    for _ in range(5):
        add_surgeon(day, offers={topics["Blogging"]: 2}, perspectives={"volunteer": Visibility.PAIRED})
        add_request(day, topics={topics["Blogging"]: 1}, preferences=[("perspective", "volunteer", "wish")])

    with django_assert_num_queries(10):
        build_day_problem(day=day)


def test_build_day_problem_leaves_out_learners_who_booked_that_day_themselves(organisation):
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    booked = add_request(day, topics={topics["Blogging"]: 1})
    waiting = add_request(day, topics={topics["Blogging"]: 1})
    booked_slot(slot=slots[0], learner=booked.learner)

    assert build_day_problem(day=day).instance.learners == (waiting.learner_id,)
