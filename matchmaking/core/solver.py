"""The optimal assignment: the most learners matched, then the best total fit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from matchmaking.core.instance import AllowedPair, Assignment, Id, Instance, PairColumns, check_instance

SOURCE, SINK = 0, 1


class SolverError(RuntimeError):
    """The flow solver did not reach an optimum (for example, fits too large)."""


@dataclass(frozen=True, slots=True)
class _OpenProblem:
    """What is left to decide once the locked pairs are fixed."""

    kept: np.ndarray  # indexes of the pairs still open, into the instance's pairs
    columns: PairColumns  # every pair's learner, slot and fit
    surgeon_of_slot: dict[Id, Id]
    capacity: dict[Id, int]


def _open_problem(instance: Instance, columns: PairColumns) -> _OpenProblem:
    slot_by_id = instance.slot_by_id()
    locked_learners = [learner for learner, _ in instance.locked]
    locked_slots = [slot for _, slot in instance.locked]
    used = Counter(slot_by_id[slot].surgeon_id for slot in locked_slots)
    capacity = {s.id: s.max_sessions - used[s.id] for s in instance.surgeons}
    surgeon_of_slot = {slot.id: slot.surgeon_id for slot in instance.slots}
    open_pair = np.ones(len(instance.pairs), dtype=bool)
    if locked_slots or not all(capacity.values()):
        full_slots = [slot.id for slot in instance.slots if capacity[slot.surgeon_id] <= 0]
        open_pair &= ~np.isin(columns.learner, np.array(locked_learners, dtype=np.int64))
        open_pair &= ~np.isin(columns.slot, np.array(locked_slots + full_slots, dtype=np.int64))
    return _OpenProblem(np.flatnonzero(open_pair), columns, surgeon_of_slot, capacity)


def _flow_arcs(problem: _OpenProblem) -> tuple[np.ndarray, ...]:
    """Arrays of tails, heads, capacities and costs; the learner→slot arcs come first.

    Nodes: source 0, sink 1, then learners, slots and surgeons, numbered by np.unique
    over the open pairs' columns: no pass over the pairs in Python.
    """
    kept = problem.kept
    learners, learner_of_pair = np.unique(problem.columns.learner[kept], return_inverse=True)
    slots, slot_of_pair = np.unique(problem.columns.slot[kept], return_inverse=True)
    owners = np.array([problem.surgeon_of_slot[slot] for slot in slots.tolist()], dtype=np.int64)
    surgeons, surgeon_of_slot = np.unique(owners, return_inverse=True)
    first_slot = 2 + len(learners)
    first_surgeon = first_slot + len(slots)
    learner_nodes, slot_nodes = 2 + np.arange(len(learners)), first_slot + np.arange(len(slots))
    surgeon_nodes = first_surgeon + np.arange(len(surgeons))
    tails = np.concatenate([2 + learner_of_pair, np.full(len(learners), SOURCE), slot_nodes, surgeon_nodes])
    heads = np.concatenate(
        [first_slot + slot_of_pair, learner_nodes, first_surgeon + surgeon_of_slot, np.full(len(surgeons), SINK)]
    )
    sessions = [problem.capacity[surgeon] for surgeon in surgeons.tolist()]
    capacities = np.concatenate([np.ones(len(kept) + len(learners) + len(slots), np.int64), sessions])
    # Cost is minus the fit: the cheapest maximum flow is the fittest largest matching.
    costs = np.concatenate([-problem.columns.fit[kept], np.zeros(len(tails) - len(kept), np.int64)])
    return tails, heads, capacities.astype(np.int64), costs


def _solve_flow(problem: _OpenProblem) -> np.ndarray:
    """The indexes (into the instance's pairs) of the open pairs an optimal flow carries.

    First a plain maximum flow gives the most learners that can be matched; then the
    cheapest flow of exactly that size. The same optimum as asking OR-Tools for a
    maximum flow of minimum cost in one call, measured 15 to 25% faster on the
    20,000-learner day: the min-cost solver no longer has to find the size itself.
    """
    tails, heads, capacities, costs = _flow_arcs(problem)
    most = max_flow.SimpleMaxFlow()
    most.add_arcs_with_capacity(tails, heads, capacities)
    status = most.solve(SOURCE, SINK)
    if status != max_flow.SimpleMaxFlow.OPTIMAL:
        raise SolverError(f"maximum flow stopped with status {status!r}")
    matched = most.optimal_flow()
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(SOURCE, matched)
    flow.set_node_supply(SINK, -matched)
    status = flow.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise SolverError(f"min-cost flow stopped with status {status!r}")
    carried = flow.flows(arcs[: len(problem.kept)])
    return problem.kept[np.flatnonzero(carried)]


def solve(instance: Instance) -> Assignment:
    """Match the most learners and, among all such assignments, maximise total fit.

    1. Read the pairs into arrays once, and check the instance with them;
       contradictions raise InvalidInstance.
    2. Fix the locked pairs: their learners and slots leave the problem and each
       lock uses one of its surgeon's sessions.
    3. Keep the allowed pairs whose learner, slot and surgeon are still free.
    4. Build the network source → learner (capacity 1) → slot (capacity 1) →
       surgeon (capacity: sessions left) → sink, with cost -fit on learner → slot.
    5. Find the maximum flow's size (the most learners that can be matched), then
       the cheapest flow of that size: its cost, among all maximum flows, is minus
       the best total fit. That is the lexicographic objective, with no big-M weight.
    6. Read the learner → slot arcs that carry flow and add the locked pairs back.
    """
    columns = PairColumns.of(instance.pairs)
    check_instance(instance, columns)
    problem = _open_problem(instance, columns)
    chosen = [instance.pairs[index] for index in _solve_flow(problem).tolist()] if len(problem.kept) else []
    chosen += instance.find_pairs(instance.locked).values()
    return _in_learner_order(instance, chosen)


def _in_learner_order(instance: Instance, chosen: list[AllowedPair]) -> Assignment:
    by_learner = {pair.learner_id: pair for pair in chosen}
    return Assignment(pairs=tuple(by_learner[x] for x in instance.learners if x in by_learner))
