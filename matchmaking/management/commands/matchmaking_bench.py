"""Time the matchmaking solver against the greedy baseline on a random day.

Everything happens in memory: the command never opens the database.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from matchmaking.core.bench import dump, random_day
from matchmaking.core.greedy import greedy
from matchmaking.core.solver import solve


def _timed(function, instance):
    started = time.perf_counter()
    result = function(instance)
    return result, round(time.perf_counter() - started, 3)


class Command(BaseCommand):
    help = "Solve a random, realistic matchmaking day and print one JSON line of figures."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=2000)
        parser.add_argument("--surgeons", type=int, default=200)
        parser.add_argument("--slots-per-surgeon", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--dump", type=Path, help="Also write the instance and the assignment to this JSON file.")

    def handle(self, *args, **options):
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
        if options["dump"]:
            options["dump"].write_text(json.dumps(dump(instance, best)))
        self.stdout.write(json.dumps(figures))
