from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.core import solver
from matchmaking.core.greedy import greedy
from matchmaking.core.instance import AllowedPair, Assignment, Instance, InvalidInstance, Slot, Surgeon, violations
from matchmaking.core.solver import solve

SMALL = settings(max_examples=150, deadline=None)


def _valid_subset(instance: Instance, candidates: list[AllowedPair]) -> tuple[tuple[int, int], ...]:
    """Keep candidates, in order, while they break no rule: a valid set of locks."""
    surgeon_of = {slot.id: slot.surgeon_id for slot in instance.slots}
    left = instance.capacity_by_surgeon()
    learners, slots, kept = set(), set(), []
    for pair in candidates:
        surgeon = surgeon_of[pair.slot_id]
        if pair.learner_id in learners or pair.slot_id in slots or left[surgeon] == 0:
            continue
        learners.add(pair.learner_id)
        slots.add(pair.slot_id)
        left[surgeon] -= 1
        kept.append((pair.learner_id, pair.slot_id))
    return tuple(kept)


@st.composite
def instances(draw, with_locks: bool = True) -> Instance:
    surgeons = tuple(Surgeon(id=100 + n, max_sessions=draw(st.integers(0, 3))) for n in range(draw(st.integers(1, 3))))
    owners = st.sampled_from([surgeon.id for surgeon in surgeons])
    slots = tuple(Slot(id=200 + n, surgeon_id=draw(owners), start=n, end=n + 1) for n in range(draw(st.integers(1, 5))))
    learners = tuple(range(1, draw(st.integers(1, 5)) + 1))
    everything = [(learner, slot.id) for learner in learners for slot in slots]
    keys = draw(st.lists(st.sampled_from(everything), unique=True, max_size=12))
    pairs = tuple(AllowedPair(learner, slot, draw(st.integers(0, 10))) for learner, slot in keys)
    instance = Instance(learners=learners, surgeons=surgeons, slots=slots, pairs=pairs)
    if not with_locks or not pairs:
        return instance
    candidates = draw(st.lists(st.sampled_from(pairs), max_size=3))
    return Instance(learners, surgeons, slots, pairs, locked=_valid_subset(instance, candidates))


def brute_force_best(instance: Instance) -> tuple[int, int]:
    """(matched, total fit), best first by matched then by fit, over every valid assignment."""
    options = {learner: [None] for learner in instance.learners}
    for pair in instance.pairs:
        options[pair.learner_id].append(pair)
    locked = dict(instance.locked)
    best = (-1, -1)

    def visit(index: int, chosen: list[AllowedPair]) -> None:
        nonlocal best
        if index == len(instance.learners):
            if not violations(instance, [(p.learner_id, p.slot_id) for p in chosen]):
                best = max(best, (len(chosen), sum(p.fit for p in chosen)))
            return
        learner = instance.learners[index]
        for option in options[learner]:
            if learner in locked and (option is None or option.slot_id != locked[learner]):
                continue
            visit(index + 1, [*chosen, option] if option else chosen)

    visit(0, [])
    return best


def keys_of(assignment: Assignment) -> list[tuple[int, int]]:
    return [(pair.learner_id, pair.slot_id) for pair in assignment.pairs]


@settings(max_examples=300, deadline=None)
@given(instances())
def test_solve_equals_brute_force_optimum(instance):
    assignment = solve(instance)

    assert (assignment.matched, assignment.total_fit) == brute_force_best(instance)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_solve_by_flow_equals_brute_force_optimum(instance):
    with pytest.MonkeyPatch.context() as patch:
        # As if the fits were too large for floating point: the OR-Tools flow route.
        patch.setattr(solver, "EXACT_FLOAT_LIMIT", 0)
        assignment = solve(instance)

    assert violations(instance, keys_of(assignment)) == []
    assert (assignment.matched, assignment.total_fit) == brute_force_best(instance)


@SMALL
@given(instances())
def test_solve_never_breaks_a_rule(instance):
    assignment = solve(instance)

    assert violations(instance, keys_of(assignment)) == []


@SMALL
@given(instances(with_locks=False), st.data())
def test_solve_again_with_locks_keeps_them(instance, data):
    first = solve(instance)
    locks = tuple(data.draw(st.lists(st.sampled_from(keys_of(first)), unique=True))) if first.pairs else ()
    locked = Instance(instance.learners, instance.surgeons, instance.slots, instance.pairs, locked=locks)

    again = solve(locked)

    assert set(locks) <= set(keys_of(again))
    # Locking part of an optimum cannot make the optimum worse.
    assert (again.matched, again.total_fit) == (first.matched, first.total_fit)


@SMALL
@given(instances())
def test_greedy_keeps_rules_and_locks_and_never_beats_solve(instance):
    baseline, best = greedy(instance), solve(instance)

    assert violations(instance, keys_of(baseline)) == []
    assert set(instance.locked) <= set(keys_of(baseline))
    assert (baseline.matched, baseline.total_fit) <= (best.matched, best.total_fit)


def _day(pairs, *, capacity=1, locked=()):
    surgeons = (Surgeon(10, capacity), Surgeon(11, capacity))
    slots = (Slot(100, 10, 0, 30), Slot(101, 10, 30, 60), Slot(102, 11, 0, 30))
    learners = tuple(sorted({pair.learner_id for pair in pairs}))
    return Instance(learners=learners, surgeons=surgeons, slots=slots, pairs=tuple(pairs), locked=locked)


def test_solve_prefers_more_learners_to_higher_fit():
    instance = _day([AllowedPair(1, 100, 1), AllowedPair(1, 102, 50), AllowedPair(2, 102, 0)])

    assignment = solve(instance)

    assert keys_of(assignment) == [(1, 100), (2, 102)]
    assert (assignment.matched, assignment.total_fit) == (2, 1)


def test_solve_breaks_equal_counts_by_total_fit():
    instance = _day([AllowedPair(1, 100, 3), AllowedPair(1, 102, 8), AllowedPair(2, 100, 5), AllowedPair(2, 102, 4)])

    assert keys_of(solve(instance)) == [(1, 102), (2, 100)]


def test_solve_respects_a_surgeons_maximum_sessions():
    instance = _day([AllowedPair(1, 100, 5), AllowedPair(2, 101, 5)], capacity=1)

    assignment = solve(instance)

    assert assignment.matched == 1
    assert assignment.unmatched(instance) in {(1,), (2,)}


def test_solve_keeps_a_lock_even_when_it_costs_fit():
    pairs = [AllowedPair(1, 100, 1), AllowedPair(1, 102, 9), AllowedPair(2, 102, 9)]

    assignment = solve(_day(pairs, locked=((1, 102),)))

    assert keys_of(assignment) == [(1, 102)]


def test_solve_counts_a_lock_against_the_surgeons_maximum():
    pairs = [AllowedPair(1, 100, 1), AllowedPair(2, 101, 9)]

    assignment = solve(_day(pairs, capacity=1, locked=((1, 100),)))

    assert keys_of(assignment) == [(1, 100)]


@pytest.mark.parametrize("route", ["assignment", "flow"])
def test_solve_keeps_sessions_below_slot_count_with_a_lock(route, monkeypatch):
    if route == "flow":
        monkeypatch.setattr(solver, "EXACT_FLOAT_LIMIT", 0)
    surgeons = (Surgeon(10, 2), Surgeon(11, 3))
    slots = (*(Slot(100 + n, 10, n, n + 1) for n in range(4)), Slot(110, 11, 0, 1))
    pairs = [AllowedPair(learner, 100 + n, learner + n) for learner in range(1, 5) for n in range(4)]
    pairs += [AllowedPair(5, 110, 1)]
    instance = Instance(
        learners=(1, 2, 3, 4, 5), surgeons=surgeons, slots=slots, pairs=tuple(pairs), locked=((1, 100),)
    )

    assignment = solve(instance)

    # Surgeon 10 has two sessions for four slots and one goes to the lock: one more
    # learner there, the fittest (learner 4 in slot 103, fit 7), and learner 5 with 11.
    assert keys_of(assignment) == [(1, 100), (4, 103), (5, 110)]


def test_solve_with_sparse_large_ids_matches_the_best():
    big = 10**12
    surgeons = (Surgeon(big, 1), Surgeon(3 * big, 1))
    slots = (Slot(5 * big, big, 0, 1), Slot(7 * big, 3 * big, 0, 1))
    pairs = (AllowedPair(9 * big, 5 * big, 2), AllowedPair(9 * big, 7 * big, 3), AllowedPair(2, 5 * big, 0))
    instance = Instance(learners=(9 * big, 2, 4), surgeons=surgeons, slots=slots, pairs=pairs)

    assert keys_of(solve(instance)) == [(9 * big, 7 * big), (2, 5 * big)]


def test_solve_of_a_day_without_pairs_matches_nobody():
    instance = Instance(learners=(1, 2), surgeons=(Surgeon(10, 3),), slots=(Slot(100, 10, 0, 30),), pairs=())

    assignment = solve(instance)

    assert (assignment.matched, assignment.total_fit, assignment.unmatched(instance)) == (0, 0, (1, 2))


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        (_day([AllowedPair(1, 100, 1)], locked=((1, 101),)), "locked pair (1, 101) is not allowed"),
        (_day([AllowedPair(1, 100, 1), AllowedPair(2, 100, 1)], locked=((1, 100), (2, 100))), "slot 100 has more"),
        (_day([AllowedPair(1, 100, 1), AllowedPair(1, 102, 1)], locked=((1, 100), (1, 102))), "learner 1 has more"),
        (_day([AllowedPair(1, 100, 1), AllowedPair(2, 101, 1)], locked=((1, 100), (2, 101))), "surgeon 10 has 2"),
        (_day([AllowedPair(1, 100, 1), AllowedPair(1, 100, 2)]), "pair (1, 100) appears more than once"),
        (_day([AllowedPair(1, 100, -1)]), "pair (1, 100) has a negative fit"),
        (_day([AllowedPair(1, 999, 1)]), "pair (1, 999) names an unknown learner or slot"),
    ],
)
def test_solve_refuses_an_inconsistent_instance(instance, message):
    with pytest.raises(InvalidInstance, match=message.replace("(", r"\(").replace(")", r"\)")):
        solve(instance)


def test_violations_of_a_hand_adjusted_assignment_name_each_rule():
    instance = _day([AllowedPair(1, 100, 1), AllowedPair(2, 100, 1), AllowedPair(2, 101, 1)], capacity=1)

    problems = violations(instance, [(1, 100), (2, 100), (2, 101), (3, 102)])

    assert Counter(problem.split(" ")[0] for problem in problems) == Counter(["pair", "learner", "slot", "surgeon"])
