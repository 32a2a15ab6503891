"""Time the matchmaking solver against the greedy baseline and an assignment solver from
SciPy on a random day, or (`--confirm-pairs N`) time confirming a proposal of N pairs.

Solving happens in memory: without `--confirm-pairs` the command never opens the
database. With it, the command makes a fresh database beside the configured one (as
the test runner does: `test_` before its name), fills it, times the booking job, and
drops it again, so no real data is touched.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from matchmaking.benchdata import time_confirm
from matchmaking.core.bench import dump, random_day
from matchmaking.core.greedy import greedy
from matchmaking.core.instance import PairColumns
from matchmaking.core.reference import reference_solve
from matchmaking.core.solver import solve


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, round(time.perf_counter() - started, 3)


class Command(BaseCommand):
    help = "Solve a random, realistic matchmaking day (or confirm a big proposal) and print one JSON line of figures."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=2000)
        parser.add_argument("--surgeons", type=int, default=200)
        parser.add_argument("--slots-per-surgeon", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--dump", type=Path, help="Also write the instance and the assignment to this JSON file.")
        parser.add_argument(
            "--no-reference", action="store_true", help="Skip the assignment solver from SciPy (slow on big days)."
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=3,
            help="Time the solver and the reference this many times each, taking turns at going first, "
            "and keep each one's fastest time (the machine may be busy with other work).",
        )
        parser.add_argument(
            "--confirm-pairs",
            type=int,
            help="Instead: time confirming a proposal of this many pairs, in a fresh database.",
        )

    def handle(self, *args, **options):
        figures = self._confirm(options["confirm_pairs"]) if options["confirm_pairs"] else self._solve(options)
        self.stdout.write(json.dumps(figures))

    def _solve(self, options) -> dict:
        day = random_day(
            learners=options["learners"],
            surgeons=options["surgeons"],
            slots_per_surgeon=options["slots_per_surgeon"],
            seed=options["seed"],
        )
        instance = day.instance
        best, seconds = _timed(solve, instance)
        baseline, greedy_seconds = _timed(greedy, instance)
        figures = {
            "learners": len(instance.learners),
            "surgeons": len(instance.surgeons),
            "slots": len(instance.slots),
            "allowed_pairs": len(instance.pairs),
            "matched": best.matched,
            "total_fit": best.total_fit,
            "seconds": seconds,
            "greedy_matched": baseline.matched,
            "greedy_total_fit": baseline.total_fit,
            "greedy_seconds": greedy_seconds,
        }
        if not options["no_reference"]:
            # The reference reads the pairs into arrays as `solve` does, and that is timed too.
            def run_reference():
                return reference_solve(instance, PairColumns.of(instance.pairs))

            reference, reference_seconds = _timed(run_reference)
            for turn in range(1, max(options["repeat"], 1)):
                # Each takes its turn at going first: the first run in a process pays
                # for fresh memory, and other work on the machine comes and goes.
                if turn % 2:
                    reference_seconds = min(reference_seconds, _timed(run_reference)[1])
                    seconds = min(seconds, _timed(solve, instance)[1])
                else:
                    seconds = min(seconds, _timed(solve, instance)[1])
                    reference_seconds = min(reference_seconds, _timed(run_reference)[1])
            figures["seconds"] = seconds
            figures |= {
                "reference": reference.method,
                "reference_matched": reference.matched,
                "reference_total_fit": reference.total_fit,
                "reference_seconds": reference_seconds,
                "ratio_to_reference": round(seconds / max(reference_seconds, 0.001), 3),
            }
        if options["dump"]:
            options["dump"].write_text(json.dumps(dump(instance, best)))
        return figures

    def _confirm(self, pairs: int) -> dict:
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            return time_confirm(pairs=pairs) | {"database": connection.vendor}
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
