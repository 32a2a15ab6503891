"""The same optimum by another route, for the benchmark: an assignment problem that
SciPy solves. It shares no code with `solver.py` beyond reading the pairs, so the two
agreeing on a day is a check, and their times side by side say how far ours is from
a plain assignment solver. (`solve` now calls the same SciPy solver on its own,
smaller reduction; the brute-force tests and the OR-Tools route check it apart.)

The reduction. Rows are matched to columns, each row exactly once, at least total cost:

1. One row per learner; one column per slot, and one "left out" column per learner.
2. A surgeon with k slots and m sessions (m < k) gets k - m blocker rows that may take
   only that surgeon's slots, at no cost. They must all be placed, so at most m of the
   surgeon's slots are left for learners: the session limit the flow's capacities keep.
3. A learner's allowed slot costs C - (B + fit); their own "left out" column costs C.
   B is more than any total fit, so one more learner matched is worth more than any
   fit: the most learners first, then the best fit. C keeps every cost positive (the
   sparse solver treats a missing entry as no edge); as every row is matched once, it
   adds the same to every answer.
4. A locked learner's row has only its locked slot.

`linear_sum_assignment` needs the dense matrix; above `DENSE_LIMIT` cells (a 20,000
learner day would need a billion) the same problem goes to SciPy's sparse solver,
`min_weight_full_bipartite_matching`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matchmaking.core.instance import Instance, PairColumns

DENSE_LIMIT = 60_000_000


@dataclass(frozen=True, slots=True)
class ReferenceResult:
    matched: int
    total_fit: int
    method: str  # "linear_sum_assignment" or "min_weight_full_bipartite_matching"


def _edges(instance: Instance, columns: PairColumns) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, int, int]:
    """Rows, columns and costs of every edge, the numbers of rows and columns, B and C."""
    learners = np.array(instance.learners, dtype=np.int64)
    order = np.argsort(learners)
    slot_ids = np.array([slot.id for slot in instance.slots], dtype=np.int64)
    slot_order = np.argsort(slot_ids)
    row = order[np.searchsorted(learners[order], columns.learner)]
    col = slot_order[np.searchsorted(slot_ids[slot_order], columns.slot)]
    best_fit = np.zeros(len(learners), dtype=np.int64)
    np.maximum.at(best_fit, row, columns.fit)
    big = int(best_fit.sum()) + 1
    offset = big + int(columns.fit.max(initial=0)) + 1
    cost, own = offset - (big + columns.fit), np.arange(len(learners))
    locked = dict(instance.locked)
    if locked:
        keep = np.array(
            [locked.get(int(learner), slot) == slot for learner, slot in zip(learners[row], columns.slot, strict=True)],
            dtype=bool,
        )
        row, col, cost = row[keep], col[keep], cost[keep]
        own = np.array([i for i, learner in enumerate(learners.tolist()) if learner not in locked], dtype=np.int64)
    rows, cols, costs = [row], [col], [cost]
    rows.append(own)
    cols.append(len(slot_ids) + own)
    costs.append(np.full(len(own), offset))
    blocker = len(learners)
    sessions = {surgeon.id: surgeon.max_sessions for surgeon in instance.surgeons}
    slots_of: dict[int, list[int]] = {}
    for index, slot in enumerate(instance.slots):
        slots_of.setdefault(slot.surgeon_id, []).append(index)
    for surgeon_id, indexes in slots_of.items():
        for _ in range(max(0, len(indexes) - sessions.get(surgeon_id, 0))):
            rows.append(np.full(len(indexes), blocker))
            cols.append(np.array(indexes, dtype=np.int64))
            costs.append(np.full(len(indexes), offset))
            blocker += 1
    return (
        np.concatenate(rows),
        np.concatenate(cols),
        np.concatenate(costs).astype(np.float64),
        blocker,
        len(slot_ids) + len(learners),
        big,
        offset,
    )


def reference_solve(instance: Instance, columns: PairColumns | None = None) -> ReferenceResult:
    """(matched, total fit) of an optimal assignment, found by SciPy through the reduction above."""
    columns = columns if columns is not None else PairColumns.of(instance.pairs)
    rows, cols, costs, row_count, col_count, big, offset = _edges(instance, columns)
    if row_count * col_count <= DENSE_LIMIT:
        dense = np.full((row_count, col_count), np.inf)
        dense[rows, cols] = costs
        chosen_rows, chosen_cols = linear_sum_assignment(dense)
        chosen = dense[chosen_rows, chosen_cols]
        method = "linear_sum_assignment"
    else:
        matrix = csr_matrix((costs, (rows, cols)), shape=(row_count, col_count))
        chosen_rows, chosen_cols = min_weight_full_bipartite_matching(matrix)
        chosen = np.asarray(matrix[chosen_rows, chosen_cols]).ravel()
        method = "min_weight_full_bipartite_matching"
    learner_rows = (chosen_rows < len(instance.learners)) & (chosen_cols < len(instance.slots))
    fits = offset - big - chosen[learner_rows]
    return ReferenceResult(int(learner_rows.sum()), round(float(fits.sum())), method)
