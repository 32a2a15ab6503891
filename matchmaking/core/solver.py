"""The optimal assignment: the most learners matched, then the best total fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matchmaking.core.instance import (
    AllowedPair,
    Assignment,
    Instance,
    PairColumns,
    PairPositions,
    check_instance,
    positions_of,
)

SOURCE, SINK = 0, 1
# SciPy's assignment solver works in 64-bit floats, exact for integers below 2**53.
# Every sum it forms is at most (rows + columns) times the largest cost; below this
# bound the answer is exact, above it (fits in the billions) the flow route is used.
EXACT_FLOAT_LIMIT = 2**50


class SolverError(RuntimeError):
    """The flow solver did not reach an optimum (for example, fits too large)."""


@dataclass(frozen=True, slots=True)
class _OpenProblem:
    """What is left to decide once the locked pairs are fixed.

    Only learners and slots with an open pair take part, numbered from 0 in the
    order of their ids: the others can only stay unmatched or empty.
    """

    kept: np.ndarray  # indexes of the pairs still open, into the instance's pairs
    learner: np.ndarray  # each open pair's learner, 0 … learners - 1
    slot: np.ndarray  # each open pair's slot, 0 … slots - 1
    fit: np.ndarray  # each open pair's fit
    learners: int
    owner: np.ndarray  # each slot's surgeon, 0 … surgeons - 1
    sessions: np.ndarray  # each surgeon's sessions left

    @property
    def slots(self) -> int:
        return len(self.owner)


def _ids(values) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64)


def _open_problem(instance: Instance, positions: PairPositions, columns: PairColumns) -> _OpenProblem:
    slot_ids = positions.slot_ids
    surgeons = sorted(instance.surgeons, key=lambda surgeon: surgeon.id)
    surgeon_ids = _ids(surgeon.id for surgeon in surgeons)
    sessions = _ids(surgeon.max_sessions for surgeon in surgeons)
    owner = np.empty(len(slot_ids), dtype=np.int64)
    owner[positions_of(slot_ids, _ids(slot.id for slot in instance.slots))] = positions_of(
        surgeon_ids, _ids(slot.surgeon_id for slot in instance.slots)
    )
    learner, slot, fit = positions.learner, positions.slot, columns.fit
    free = np.ones(len(slot_ids), dtype=bool)
    kept = np.arange(len(learner))
    if instance.locked:
        locked_slots = positions_of(slot_ids, _ids(slot for _, slot in instance.locked))
        free[locked_slots] = False
        np.subtract.at(sessions, owner[locked_slots], 1)
    free &= sessions[owner] > 0
    if instance.locked or not free.all():
        taken = np.zeros(len(positions.learner_ids), dtype=bool)
        taken[positions_of(positions.learner_ids, _ids(learner for learner, _ in instance.locked))] = True
        kept = np.flatnonzero(free[slot] & ~taken[learner])
        learner, slot, fit = learner[kept], slot[kept], fit[kept]
    # Learners and slots without an open pair leave the problem: renumber the rest.
    learner, has_learner = _renumber(learner, len(positions.learner_ids))
    slot, has_slot = _renumber(slot, len(slot_ids))
    return _OpenProblem(kept, learner, slot, fit, int(has_learner.sum()), owner[has_slot], sessions)


def _renumber(numbers: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The numbers renumbered 0, 1, … in order, skipping those that never occur; and
    which of 0 … count - 1 occur."""
    occurs = np.bincount(numbers, minlength=count) > 0
    return (np.cumsum(occurs) - 1)[numbers], occurs


def _blocker_edges(problem: _OpenProblem) -> tuple[np.ndarray, np.ndarray]:
    """Rows (from 0) and slots of the blocker edges: a surgeon with k slots in the
    problem and m < k sessions left gets k - m blocker rows, each joined to every one
    of those slots."""
    blockers = np.maximum(np.bincount(problem.owner, minlength=len(problem.sessions)) - problem.sessions, 0)
    per_slot = blockers[problem.owner]
    first_row = np.cumsum(blockers) - blockers
    slot = np.repeat(np.arange(problem.slots), per_slot)
    within = np.arange(len(slot)) - np.repeat(np.cumsum(per_slot) - per_slot, per_slot)
    return np.repeat(first_row[problem.owner], per_slot) + within, slot


def _solve_assignment(problem: _OpenProblem) -> np.ndarray | None:
    """The open pairs (indexes into the instance's pairs) of an optimal assignment, by
    SciPy's sparse assignment solver (LAPJVsp); None when the costs are too large for it.

    Rows are the learners, then the blockers; columns the slots, then one "left out"
    column per learner. Every row is matched to one column, at least total cost:

    - a learner's allowed slot costs `offset - big - fit`, their "left out" column
      `offset`; so an assignment costs learners * offset - big * matched - total fit.
      `big` exceeds any total fit, so one more learner matched beats any fit: the most
      learners, then the best fit. `offset` keeps every cost above zero (SciPy reads
      a zero as no edge);
    - a surgeon with k slots in the problem and m < k sessions left has k - m
      blocker rows that may take only those slots (cost 1, the same whichever): all
      placed, they leave at most m of the slots to learners.

    SciPy's solver spends time on every row times every column, so learners and
    slots without an open pair are already left out (`_open_problem`).
    """
    learners, slots = problem.learners, problem.slots
    most_fit = int(problem.fit.max(initial=0))
    big = most_fit * min(learners, slots) + 1
    offset = big + most_fit + 1
    blocker, blocker_slot = _blocker_edges(problem)
    rows = learners + int(blocker.max(initial=-1)) + 1
    if offset * (rows + slots + learners) >= EXACT_FLOAT_LIMIT:
        return None
    own = np.arange(learners)
    edge_rows = np.concatenate([problem.learner, own, learners + blocker])
    edge_cols = np.concatenate([problem.slot, slots + own, blocker_slot])
    costs = np.ones(len(edge_rows), dtype=np.float64)
    costs[: len(problem.kept)] = offset - big - problem.fit
    costs[len(problem.kept) : len(problem.kept) + learners] = offset
    # Compressed rows built directly: pairs mostly arrive grouped by learner, so the
    # stable sort by row is nearly one pass, and `order` says which edge is which.
    order = np.argsort(edge_rows, kind="stable")
    starts = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(edge_rows, minlength=rows), out=starts[1:])
    weights = csr_matrix((costs[order], edge_cols[order], starts), shape=(rows, slots + learners))
    chosen_rows, chosen_cols = min_weight_full_bipartite_matching(weights)
    column_of_row = np.full(rows, -1, dtype=np.int64)
    column_of_row[chosen_rows] = chosen_cols
    # The chosen edges, learner to slot: the first len(kept) edges are the open pairs.
    taken = order[column_of_row[edge_rows[order]] == edge_cols[order]]
    edges = taken[taken < len(problem.kept)]
    return problem.kept[edges]


def _flow_arcs(problem: _OpenProblem) -> tuple[np.ndarray, ...]:
    """Arrays of tails, heads, capacities and costs; the learner→slot arcs come first.

    Nodes: source 0, sink 1, then learners, slots and surgeons.
    """
    learners, slots, surgeons = problem.learners, problem.slots, len(problem.sessions)
    first_slot = 2 + learners
    first_surgeon = first_slot + slots
    learner_nodes, slot_nodes = 2 + np.arange(learners), first_slot + np.arange(slots)
    surgeon_nodes = first_surgeon + np.arange(surgeons)
    tails = np.concatenate([2 + problem.learner, np.full(learners, SOURCE), slot_nodes, surgeon_nodes])
    heads = np.concatenate(
        [first_slot + problem.slot, learner_nodes, first_surgeon + problem.owner, np.full(surgeons, SINK)]
    )
    capacities = np.concatenate([np.ones(len(problem.kept) + learners + slots, np.int64), problem.sessions])
    # Cost is minus the fit: the cheapest maximum flow is the fittest largest matching.
    costs = np.concatenate([-problem.fit, np.zeros(len(tails) - len(problem.kept), np.int64)])
    return tails, heads, capacities.astype(np.int64), costs


def _solve_flow(problem: _OpenProblem) -> np.ndarray:
    """The indexes (into the instance's pairs) of the open pairs an optimal flow carries.

    First a plain maximum flow gives the most learners that can be matched; then the
    cheapest flow of exactly that size.
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
    4. Solve the rest as an assignment problem with SciPy (`_solve_assignment`);
       only when the fits are too large for its floating-point arithmetic, as a
       maximum flow then a min-cost flow of that size with OR-Tools (`_solve_flow`).
    5. Add the locked pairs back, in the order of the instance's learners.
    """
    columns = PairColumns.of(instance.pairs)
    positions = check_instance(instance, columns)
    chosen: list[AllowedPair] = []
    if len(columns.learner):
        problem = _open_problem(instance, positions, columns)
        if len(problem.kept):
            indexes = _solve_assignment(problem)
            indexes = _solve_flow(problem) if indexes is None else indexes
            chosen = [instance.pairs[index] for index in indexes.tolist()]
    if instance.locked:
        chosen += instance.find_pairs(instance.locked).values()
    return _in_learner_order(instance, chosen)


def _in_learner_order(instance: Instance, chosen: list[AllowedPair]) -> Assignment:
    by_learner = {pair.learner_id: pair for pair in chosen}
    return Assignment(pairs=tuple(by_learner[x] for x in instance.learners if x in by_learner))
