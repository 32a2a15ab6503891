"""The optimal assignment: the most learners matched, then the best total fit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from surgeries.matchmaking.instance import AllowedPair, Assignment, Id, Instance, check_instance

SOURCE, SINK = 0, 1


class SolverError(RuntimeError):
    """The flow solver did not reach an optimum (for example, fits too large)."""


@dataclass(frozen=True, slots=True)
class _OpenProblem:
    """What is left to decide once the locked pairs are fixed."""

    pairs: list[AllowedPair]
    surgeon_of_slot: dict[Id, Id]
    capacity: dict[Id, int]


def _open_problem(instance: Instance) -> _OpenProblem:
    slot_by_id = instance.slot_by_id()
    locked_learners = {learner for learner, _ in instance.locked}
    locked_slots = {slot for _, slot in instance.locked}
    used = Counter(slot_by_id[slot].surgeon_id for slot in locked_slots)
    capacity = {s.id: s.max_sessions - used[s.id] for s in instance.surgeons}
    surgeon_of_slot = {slot.id: slot.surgeon_id for slot in instance.slots}
    pairs = [
        pair
        for pair in instance.pairs
        if pair.learner_id not in locked_learners
        and pair.slot_id not in locked_slots
        and capacity[surgeon_of_slot[pair.slot_id]] > 0
    ]
    return _OpenProblem(pairs=pairs, surgeon_of_slot=surgeon_of_slot, capacity=capacity)


def _number(ids: list[Id], first: int) -> dict[Id, int]:
    """Give each distinct id a node number, from `first`, in order of appearance."""
    return {value: first + index for index, value in enumerate(dict.fromkeys(ids))}


def _flow_arcs(problem: _OpenProblem) -> tuple[np.ndarray, ...]:
    """Arrays of tails, heads, capacities and costs; the learner→slot arcs come first."""
    learners = _number([p.learner_id for p in problem.pairs], 2)
    slots = _number([p.slot_id for p in problem.pairs], 2 + len(learners))
    surgeons = _number([problem.surgeon_of_slot[s] for s in slots], 2 + len(learners) + len(slots))
    tails = [learners[p.learner_id] for p in problem.pairs] + [SOURCE] * len(learners)
    heads = [slots[p.slot_id] for p in problem.pairs] + list(learners.values())
    capacities = [1] * (len(problem.pairs) + len(learners))
    # Cost is minus the fit: the cheapest maximum flow is the fittest largest matching.
    costs = [-p.fit for p in problem.pairs] + [0] * len(learners)
    tails += list(slots.values()) + list(surgeons.values())
    heads += [surgeons[problem.surgeon_of_slot[s]] for s in slots] + [SINK] * len(surgeons)
    capacities += [1] * len(slots) + [problem.capacity[s] for s in surgeons]
    costs += [0] * (len(slots) + len(surgeons))
    return tuple(np.asarray(values, dtype=np.int64) for values in (tails, heads, capacities, costs))


def _solve_flow(problem: _OpenProblem) -> list[AllowedPair]:
    tails, heads, capacities, costs = _flow_arcs(problem)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    # Offer one unit per learner; the solver sends as much as the network can carry.
    learners = int((tails == SOURCE).sum())
    flow.set_node_supply(SOURCE, learners)
    flow.set_node_supply(SINK, -learners)
    status = flow.solve_max_flow_with_min_cost()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise SolverError(f"min-cost flow stopped with status {status!r}")
    carried = flow.flows(arcs[: len(problem.pairs)])
    return [pair for pair, units in zip(problem.pairs, carried, strict=True) if units]


def solve(instance: Instance) -> Assignment:
    """Match the most learners and, among all such assignments, maximise total fit.

    1. Check the instance; contradictions raise InvalidInstance.
    2. Fix the locked pairs: their learners and slots leave the problem and each
       lock uses one of its surgeon's sessions.
    3. Keep the allowed pairs whose learner, slot and surgeon are still free.
    4. Build the network source → learner (capacity 1) → slot (capacity 1) →
       surgeon (capacity: sessions left) → sink, with cost -fit on learner → slot.
    5. Ask for a maximum flow of minimum cost. Its size is the most learners that
       can be matched; its cost, among all maximum flows, is minus the best total
       fit. That is the lexicographic objective, with no big-M weight to tune.
    6. Read the learner → slot arcs that carry flow and add the locked pairs back.
    """
    check_instance(instance)
    problem = _open_problem(instance)
    chosen = _solve_flow(problem) if problem.pairs else []
    chosen += instance.find_pairs(instance.locked).values()
    return _in_learner_order(instance, chosen)


def _in_learner_order(instance: Instance, chosen: list[AllowedPair]) -> Assignment:
    by_learner = {pair.learner_id: pair for pair in chosen}
    return Assignment(pairs=tuple(by_learner[x] for x in instance.learners if x in by_learner))
