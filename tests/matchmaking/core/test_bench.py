"""The benchmark command. No test here asks for the database: touching it would fail."""

import io
import json
from collections import Counter

from django.core.management import call_command

from matchmaking.core.bench import random_day
from matchmaking.core.fit import pair_fit

KEYS = {
    "learners",
    "surgeons",
    "slots",
    "allowed_pairs",
    "matched",
    "total_fit",
    "seconds",
    "greedy_matched",
    "greedy_total_fit",
    "greedy_seconds",
    "reference",
    "reference_matched",
    "reference_total_fit",
    "reference_seconds",
    "ratio_to_reference",
}


SMALL_DAY = ("--learners", "60", "--surgeons", "8", "--slots-per-surgeon", "4")


def run_bench(*extra: str) -> dict:
    out = io.StringIO()
    call_command("matchmaking_bench", *SMALL_DAY, *extra, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_bench_prints_one_json_line_with_the_figures():
    figures = run_bench("--seed", "3")

    assert set(figures) == KEYS
    assert (figures["learners"], figures["surgeons"], figures["slots"]) == (60, 8, 32)
    assert figures["allowed_pairs"] > 0
    assert figures["greedy_matched"] <= figures["matched"] <= 32
    assert figures["reference"] == "linear_sum_assignment"
    assert (figures["reference_matched"], figures["reference_total_fit"]) == (figures["matched"], figures["total_fit"])


def test_bench_is_repeatable_for_a_seed():
    first, second = run_bench("--seed", "5"), run_bench("--seed", "5")

    for figures in (first, second):
        del figures["seconds"], figures["greedy_seconds"], figures["reference_seconds"], figures["ratio_to_reference"]
    assert first == second


def test_bench_dump_assignment_uses_only_allowed_pairs_within_capacity(tmp_path):
    target = tmp_path / "day.json"
    figures = run_bench("--seed", "7", "--dump", str(target))

    day = json.loads(target.read_text())
    fit = {(learner, slot): value for learner, slot, value in day["pairs"]}
    surgeon_of = {slot["id"]: slot["surgeon"] for slot in day["slots"]}
    chosen = [tuple(pair) for pair in day["assignment"]]
    sessions = Counter(surgeon_of[slot] for _, slot in chosen)
    assert all(pair in fit for pair in chosen)
    assert len({learner for learner, _ in chosen}) == len({slot for _, slot in chosen}) == len(chosen)
    assert all(sessions[s["id"]] <= s["max_sessions"] for s in day["surgeons"])
    assert (len(chosen), sum(fit[pair] for pair in chosen)) == (figures["matched"], figures["total_fit"])
    assert len(day["pairs"]) == figures["allowed_pairs"]


def test_random_day_pairs_follow_the_fit_rules():
    day = random_day(learners=40, surgeons=6, slots_per_surgeon=3, seed=2)
    requests = {request.learner_id: request for request in day.requests}
    profiles = {profile.surgeon_id: profile for profile in day.profiles}
    surgeon_of = {slot.id: slot.surgeon_id for slot in day.instance.slots}

    assert day.instance.pairs
    for pair in day.instance.pairs:
        expected = pair_fit(requests[pair.learner_id], profiles[surgeon_of[pair.slot_id]])
        assert (pair.fit, pair.reasons) == (expected.fit, expected.reasons)


def test_bench_with_one_timing_each_still_prints_both_and_the_ratio():
    figures = run_bench("--seed", "3", "--repeat", "1")

    assert set(figures) == KEYS
    assert figures["ratio_to_reference"] == round(figures["seconds"] / max(figures["reference_seconds"], 0.001), 3)
