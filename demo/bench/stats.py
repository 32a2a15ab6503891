"""Figures of the web benchmark: percentiles, runs read from hey's CSV, and the JSON lines."""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

# The targets of a big day (tracker issue 15), printed beside the figures they judge.
P95_TARGET_MS = 100.0  # at FIXED_RATE requests a second, every page
FIXED_RATE = 50
RATIO_TARGET = 0.5  # of the trivial page's throughput
RATIO_PAGES = ("public day", "programme")
BYTES_TARGET = 100 * 1024  # every page


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Run:
    """One hey run: every answered request's time in seconds and status, and how long it lasted."""

    seconds: list[float]
    statuses: list[int]
    duration: float
    first: float = 0.0  # when the first request started, on the clock of a paced run

    @property
    def rps(self) -> float:
        return len(self.seconds) / self.duration if self.duration > 0 else 0.0

    @property
    def errors(self) -> int:
        """Answers that are not 200: a page of the benchmark that redirects or fails is not measured."""
        return sum(1 for status in self.statuses if status != 200)

    def ms(self, fraction: float) -> float:
        return round(percentile(self.seconds, fraction) * 1000, 1)


def parse_hey_csv(text: str, *, started_at: float = 0.0) -> Run:
    """hey -o csv: a header, then per request its time, phases, status code and start offset (seconds).

    The run lasts from the first start to the last answer. Requests that got no
    answer (refused, timed out) have no row; they show as a lower rate. `started_at`
    is when this hey began, relative to the others of a paced run (see `combine`).
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("response-time"):
        raise ValueError("not hey's CSV output")
    header = lines[0].split(",")
    took, status, offset = header.index("response-time"), header.index("status-code"), header.index("offset")
    seconds, statuses, ends, starts = [], [], [], []
    for line in lines[1:]:
        cells = line.split(",")
        seconds.append(float(cells[took]))
        statuses.append(int(cells[status]))
        starts.append(float(cells[offset]))
        ends.append(float(cells[offset]) + float(cells[took]))
    if not seconds:
        return Run(seconds=[], statuses=[], duration=0.0)
    return Run(seconds=seconds, statuses=statuses, duration=max(ends) - min(starts), first=started_at + min(starts))


def combine(runs: Sequence[Run]) -> Run:
    """Several hey runs that went on side by side, as one: from the first start to the last answer."""
    answered = [run for run in runs if run.seconds]
    if not answered:
        return Run(seconds=[], statuses=[], duration=0.0)
    first = min(run.first for run in answered)
    last = max(run.first + run.duration for run in answered)
    return Run(
        seconds=[value for run in answered for value in run.seconds],
        statuses=[status for run in answered for status in run.statuses],
        duration=last - first,
        first=first,
    )


def verdict(passed: bool) -> str:
    return "pass" if passed else "fail"


def page_line(*, page: str, run: Run, size: int, queries: int, trivial_rps: float) -> dict:
    """The throughput line of a page, with its size target (and throughput target where it has one)."""
    ratio = run.rps / trivial_rps if trivial_rps else 0.0
    line = {
        "page": page,
        "rps": round(run.rps, 1),
        "p50_ms": run.ms(0.5),
        "p95_ms": run.ms(0.95),
        "bytes": size,
        "queries": queries,
        "trivial_rps": round(trivial_rps, 1),
        "ratio_to_trivial": round(ratio, 3),
        "requests": len(run.seconds),
        "not_200": run.errors,
        "bytes_target": f"< {BYTES_TARGET}",
        "bytes_result": verdict(size < BYTES_TARGET),
    }
    if page in RATIO_PAGES:
        line["ratio_target"] = f">= {RATIO_TARGET}"
        line["ratio_result"] = verdict(ratio >= RATIO_TARGET)
    return line


def fixed_rate_line(*, page: str, run: Run, rate: int, seconds: int) -> dict:
    """The fixed-rate line of a page: p95 at `rate` requests a second. A server that cannot keep
    up answers fewer (`rps` below `rate`), and the run fails whatever its p95."""
    kept_up = run.rps >= rate * 0.9 and run.errors == 0
    return {
        "run": "fixed_rate",
        "page": page,
        "rate": rate,
        "seconds": seconds,
        "requests": len(run.seconds),
        "rps": round(run.rps, 1),
        "p50_ms": run.ms(0.5),
        "p95_ms": run.ms(0.95),
        "not_200": run.errors,
        "target": f"p95 < {P95_TARGET_MS:g} ms at {rate} rps",
        "result": verdict(kept_up and run.ms(0.95) < P95_TARGET_MS),
    }


def contention_line(
    *, what: str, requests: int, held: int, expected: int, statuses: Sequence[int], seconds: float = 0.0
) -> dict:
    """Many people at once for `expected` places: exactly that many hold one, and no server error."""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    server_errors = sum(1 for status in statuses if status >= 500 or status == 0)
    return {
        "run": "contention",
        "what": what,
        "requests": requests,
        "held": held,
        "statuses": dict(sorted(counts.items())),
        "server_errors": server_errors,
        "seconds": round(seconds, 1),
        "target": f"exactly {expected} held, 0 server errors",
        "result": verdict(held == expected and server_errors == 0 and len(statuses) == requests),
    }


def dumps(line: dict) -> str:
    return json.dumps(line, ensure_ascii=False)
