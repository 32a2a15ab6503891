"""Plain data for one matchmaking problem, and the rules an assignment must keep."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter

import numpy as np

Id = int
# Slots may carry minutes from the start of the day or aware datetimes; the
# solver never compares them, only the fit and explanation helpers do.
Moment = int | datetime


class InvalidInstance(ValueError):
    """The instance contradicts itself (unknown ids, clashing locks, …)."""


class ReasonKind(StrEnum):
    TOPIC = "topic"
    PERSPECTIVE = "perspective"
    LANGUAGE = "language"


@dataclass(frozen=True, slots=True)
class ReasonPart:
    """One machine-readable reason why a learner and a surgeon fit.

    `visible_to_pair` is False when the reason rests on something the surgeon
    shared with organisers only: the learner must then not be told it.
    """

    kind: ReasonKind
    value: str
    points: int
    must: bool = False
    visible_to_pair: bool = True


@dataclass(frozen=True, slots=True)
class Surgeon:
    id: Id
    max_sessions: int


@dataclass(frozen=True, slots=True)
class Slot:
    id: Id
    surgeon_id: Id
    start: Moment
    end: Moment


@dataclass(frozen=True, slots=True)
class AllowedPair:
    """A learner may take this slot; `fit` is how well it suits them (0 or more)."""

    learner_id: Id
    slot_id: Id
    fit: int
    reasons: tuple[ReasonPart, ...] = ()


@dataclass(frozen=True, slots=True)
class Instance:
    """Learners in request order, the day's slots, and the pairs the caller allows.

    `locked` holds (learner id, slot id) pairs the organiser has fixed; each must
    also be an allowed pair.
    """

    learners: tuple[Id, ...]
    surgeons: tuple[Surgeon, ...]
    slots: tuple[Slot, ...]
    pairs: tuple[AllowedPair, ...]
    locked: tuple[tuple[Id, Id], ...] = ()

    def slot_by_id(self) -> dict[Id, Slot]:
        return {slot.id: slot for slot in self.slots}

    def find_pairs(self, keys: Iterable[tuple[Id, Id]]) -> dict[tuple[Id, Id], AllowedPair]:
        """The allowed pairs with these (learner, slot) keys; absent keys are left out."""
        keys = set(keys)
        learners = {learner for learner, _ in keys}
        # Filtering on the learner first avoids building a tuple per pair.
        found = ((p.learner_id, p.slot_id, p) for p in self.pairs if p.learner_id in learners)
        return {(learner, slot): p for learner, slot, p in found if (learner, slot) in keys}

    def capacity_by_surgeon(self) -> dict[Id, int]:
        return {surgeon.id: surgeon.max_sessions for surgeon in self.surgeons}


@dataclass(frozen=True, slots=True)
class Assignment:
    """The chosen pairs, in the order of the instance's learners."""

    pairs: tuple[AllowedPair, ...]

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def total_fit(self) -> int:
        return sum(pair.fit for pair in self.pairs)

    def slot_by_learner(self) -> dict[Id, Id]:
        return {pair.learner_id: pair.slot_id for pair in self.pairs}

    def unmatched(self, instance: Instance) -> tuple[Id, ...]:
        taken = self.slot_by_learner()
        return tuple(learner for learner in instance.learners if learner not in taken)


def _duplicates(values: Iterable[object]) -> list[object]:
    return [value for value, count in Counter(values).items() if count > 1]


def _check_ids(instance: Instance) -> list[str]:
    problems = []
    for name, ids in (
        ("learner", instance.learners),
        ("surgeon", [surgeon.id for surgeon in instance.surgeons]),
        ("slot", [slot.id for slot in instance.slots]),
    ):
        problems += [f"{name} {value} appears more than once" for value in _duplicates(ids)]
    surgeons = instance.capacity_by_surgeon()
    problems += [
        f"slot {slot.id} belongs to unknown surgeon {slot.surgeon_id}"
        for slot in instance.slots
        if slot.surgeon_id not in surgeons
    ]
    problems += [f"surgeon {s.id} has a negative maximum" for s in instance.surgeons if s.max_sessions < 0]
    return problems


@dataclass(frozen=True, slots=True)
class PairColumns:
    """The allowed pairs' learner ids, slot ids and fits as NumPy arrays.

    Read from the pairs once (three passes in C-speed iterators, no Python frame per pair) and shared by the
    instance check and the solver, so a large day is not walked again in Python.
    """

    learner: np.ndarray
    slot: np.ndarray
    fit: np.ndarray

    @classmethod
    def of(cls, pairs: Sequence[AllowedPair]) -> PairColumns:
        def column(name: str) -> np.ndarray:
            return np.fromiter(map(attrgetter(name), pairs), dtype=np.int64, count=len(pairs))

        return cls(learner=column("learner_id"), slot=column("slot_id"), fit=column("fit"))


def _named(columns: PairColumns, mask: np.ndarray) -> list[tuple[int, int]]:
    return list(zip(columns.learner[mask].tolist(), columns.slot[mask].tolist(), strict=True))


@dataclass(frozen=True, slots=True)
class PairPositions:
    """Where each allowed pair's learner and slot sit among the day's ids, sorted.

    -1 marks an id the day does not have. Worked out once by `check_instance` and
    reused by the solver.
    """

    learner_ids: np.ndarray
    slot_ids: np.ndarray
    learner: np.ndarray
    slot: np.ndarray


def positions_of(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The position of each value in the sorted, distinct `ids`, or -1."""
    if not len(ids):
        return np.full(len(values), -1, dtype=np.int64)
    top = int(ids[-1])
    if ids[0] >= 0 and top <= 4 * len(ids) + 1024:
        # Ids are database keys, mostly dense: a lookup table beats a binary search.
        table = np.full(top + 2, -1, dtype=np.int64)
        table[ids] = np.arange(len(ids))
        return table[np.where((values >= 0) & (values <= top), values, top + 1)]
    at = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
    return np.where(ids[at] == values, at, -1)


def pair_positions(instance: Instance, columns: PairColumns) -> PairPositions:
    learner_ids = np.unique(np.fromiter(instance.learners, dtype=np.int64, count=len(instance.learners)))
    slot_ids = np.unique(np.fromiter((slot.id for slot in instance.slots), dtype=np.int64, count=len(instance.slots)))
    return PairPositions(
        learner_ids, slot_ids, positions_of(learner_ids, columns.learner), positions_of(slot_ids, columns.slot)
    )


def _check_pairs(columns: PairColumns, positions: PairPositions) -> list[str]:
    """Unknown learners or slots, negative fits and repeated pairs, with array operations."""
    learners, slots = positions.learner_ids, positions.slot_ids
    known = (positions.learner >= 0) & (positions.slot >= 0)
    problems = [
        f"pair ({learner}, {slot}) names an unknown learner or slot" for learner, slot in _named(columns, ~known)
    ]
    problems += [f"pair ({learner}, {slot}) has a negative fit" for learner, slot in _named(columns, columns.fit < 0)]
    # Each known pair as one number (learner position times the number of slots, plus
    # slot position); sorted, repeats sit side by side. A stable sort, as pairs mostly
    # arrive grouped by learner: nearly sorted input takes it one pass.
    keys = positions.learner[known] * len(slots) + positions.slot[known]
    keys.sort(kind="stable")
    repeated = np.unique(keys[1:][keys[1:] == keys[:-1]])
    problems += [
        f"pair ({learner}, {slot}) appears more than once"
        for learner, slot in zip(
            learners[repeated // max(len(slots), 1)].tolist(),
            slots[repeated % max(len(slots), 1)].tolist(),
            strict=True,
        )
    ]
    return problems


def violations(instance: Instance, chosen: Iterable[tuple[Id, Id]]) -> list[str]:
    """Every rule the chosen (learner, slot) pairs break; empty when they are valid.

    Useful beyond the solver: check an assignment the organiser has adjusted by hand.
    """
    chosen = list(chosen)
    if not chosen:
        return []
    allowed, slots = instance.find_pairs(chosen), instance.slot_by_id()
    problems = [f"pair {key} is not allowed" for key in chosen if key not in allowed]
    problems += [f"learner {learner} has more than one slot" for learner in _duplicates(k[0] for k in chosen)]
    problems += [f"slot {slot} has more than one learner" for slot in _duplicates(k[1] for k in chosen)]
    sessions = Counter(slots[slot].surgeon_id for _, slot in chosen if slot in slots)
    capacity = instance.capacity_by_surgeon()
    problems += [
        f"surgeon {surgeon} has {count} sessions, more than {capacity[surgeon]}"
        for surgeon, count in sessions.items()
        if count > capacity.get(surgeon, 0)
    ]
    return problems


def check_instance(instance: Instance, columns: PairColumns | None = None) -> PairPositions:
    """Raise InvalidInstance listing every inconsistency, locks included.

    `columns` are the instance's pairs as arrays, when the caller has read them already.
    Returns where each pair's learner and slot sit among the day's ids, for the solver.
    """
    columns = columns if columns is not None else PairColumns.of(instance.pairs)
    positions = pair_positions(instance, columns)
    problems = _check_ids(instance) + _check_pairs(columns, positions)
    if not problems:
        problems = [f"locked {problem}" for problem in violations(instance, instance.locked)]
    if problems:
        raise InvalidInstance("; ".join(problems))
    return positions
