"""The benchmark's reference, SciPy's assignment solvers on a reduction of the problem,
finds the same optimum as brute force, and as the flow solver on bigger random days."""

from hypothesis import given, settings

from matchmaking.core import reference
from matchmaking.core.bench import random_day
from matchmaking.core.solver import solve
from tests.matchmaking.core.test_solver import brute_force_best, instances


@settings(max_examples=150, deadline=None)
@given(instances())
def test_reference_equals_brute_force_optimum(instance):
    found = reference.reference_solve(instance)

    assert (found.matched, found.total_fit) == brute_force_best(instance)


def test_reference_dense_and_sparse_agree_with_the_flow_solver(monkeypatch):
    day = random_day(learners=300, surgeons=30, slots_per_surgeon=6, seed=4)
    best = solve(day.instance)

    dense = reference.reference_solve(day.instance)
    monkeypatch.setattr(reference, "DENSE_LIMIT", 0)
    sparse = reference.reference_solve(day.instance)

    assert (dense.method, sparse.method) == ("linear_sum_assignment", "min_weight_full_bipartite_matching")
    assert (dense.matched, dense.total_fit) == (sparse.matched, sparse.total_fit) == (best.matched, best.total_fit)
