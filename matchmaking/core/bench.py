"""A random but realistic day for benchmarking, and a JSON dump anyone can re-check.

Realism, and why the instance stays sparse: a big day is many venues (hubs) of
about twenty surgeons each. A learner goes to their home hub and sometimes the
next one, is free for part of the day, wants one to three topics and mostly
shares English. That gives tens of allowed slots per learner, as on a real day,
while one learner in three links two hubs so the problem does not fall apart
into small independent pieces.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matchmaking.core.fit import (
    LearnerRequest,
    Preference,
    Strength,
    SurgeonPerspective,
    SurgeonProfile,
    is_free,
    pair_fit,
)
from matchmaking.core.instance import AllowedPair, Assignment, Instance, ReasonKind, Slot, Surgeon

TOPICS = (
    "getting started on Twitter/X",
    "Facebook pages for groups",
    "blogging",
    "video and podcasts",
    "privacy and safety settings",
    "dealing with trolls",
    "wellbeing and boundaries online",
    "Instagram",
    "WhatsApp groups",
    "fundraising online",
    "spotting scams",
    "accessibility tools",
)
OTHER_LANGUAGES = ("Welsh", "Urdu", "Polish", "Punjabi", "Arabic", "British Sign Language")
PERSPECTIVES = (
    "lived_experience",
    "worker_voluntary",
    "worker_statutory",
    "volunteer",
    "community_journalist",
    "tech_expert",
)
# (visible to organisers, visible to the pair): only me, organisers, pair, everyone.
VISIBILITIES = ((False, False), (True, False), (True, True), (True, True))
SURGEONS_PER_HUB = 20
SLOT_MINUTES = 30


@dataclass(frozen=True, slots=True)
class BenchDay:
    instance: Instance
    requests: tuple[LearnerRequest, ...]
    profiles: tuple[SurgeonProfile, ...]


def _languages(rng: random.Random, english: float) -> frozenset[str]:
    spoken = {"English"} if rng.random() < english else set()
    if not spoken or rng.random() < 0.2:
        spoken.add(rng.choice(OTHER_LANGUAGES))
    return frozenset(spoken)


def _profile(rng: random.Random, surgeon_id: int) -> SurgeonProfile:
    topics = rng.sample(TOPICS, rng.randint(3, 5))
    perspectives = tuple(
        SurgeonPerspective(code, *rng.choice(VISIBILITIES)) for code in rng.sample(PERSPECTIVES, rng.randint(1, 2))
    )
    confidence = {topic: rng.choice((1, 2, 2, 3)) for topic in topics}
    return SurgeonProfile(surgeon_id, confidence, _languages(rng, english=0.97), perspectives)


def _preferences(rng: random.Random) -> tuple[Preference, ...]:
    preferences = []
    if rng.random() < 0.2:
        strength = Strength.MUST if rng.random() < 0.25 else Strength.WISH
        preferences.append(Preference(ReasonKind.PERSPECTIVE, rng.choice(PERSPECTIVES), strength))
    if rng.random() < 0.05:
        preferences.append(Preference(ReasonKind.LANGUAGE, rng.choice(OTHER_LANGUAGES)))
    return tuple(preferences)


def _request(rng: random.Random, learner_id: int, periods: int) -> LearnerRequest:
    wanted = {topic: rng.choice((1, 2, 3)) for topic in rng.sample(TOPICS, rng.randint(1, 3))}
    first = rng.randrange(periods)
    last = min(periods, first + rng.randint(3, 6))
    free = ((first * SLOT_MINUTES, last * SLOT_MINUTES),)
    return LearnerRequest(learner_id, wanted, _languages(rng, english=0.9), _preferences(rng), free)


def _max_sessions(rng: random.Random, slots: int) -> int:
    # Half the surgeons stay all day; the rest cap their sessions, so capacity binds.
    return slots if rng.random() < 0.5 else rng.randint((slots + 1) // 2, slots)


def _hubs_of(rng: random.Random, hubs: int) -> tuple[int, ...]:
    home = rng.randrange(hubs)
    return (home, (home + 1) % hubs) if hubs > 1 and rng.random() < 0.3 else (home,)


def _pairs(rng, requests, profiles, slots_of, hubs) -> list[AllowedPair]:
    pairs = []
    for request in requests:
        for hub in _hubs_of(rng, hubs):
            for profile in profiles[hub * SURGEONS_PER_HUB : (hub + 1) * SURGEONS_PER_HUB]:
                fit = pair_fit(request, profile)
                if fit is None:
                    continue
                pairs += [
                    AllowedPair(request.learner_id, slot.id, fit.fit, fit.reasons)
                    for slot in slots_of[profile.surgeon_id]
                    if is_free(request, slot)
                ]
    return pairs


def random_day(*, learners: int, surgeons: int, slots_per_surgeon: int, seed: int) -> BenchDay:
    """Build a day: surgeons 1…n, learners after them, slots numbered from 1."""
    rng = random.Random(seed)  # noqa: S311 -- repeatable test data, not a secret
    profiles = tuple(_profile(rng, surgeon_id) for surgeon_id in range(1, surgeons + 1))
    slots_of = {
        p.surgeon_id: [
            Slot((p.surgeon_id - 1) * slots_per_surgeon + k + 1, p.surgeon_id, k * SLOT_MINUTES, (k + 1) * SLOT_MINUTES)
            for k in range(slots_per_surgeon)
        ]
        for p in profiles
    }
    roster = tuple(Surgeon(p.surgeon_id, _max_sessions(rng, slots_per_surgeon)) for p in profiles)
    requests = tuple(_request(rng, surgeons + n + 1, slots_per_surgeon) for n in range(learners))
    hubs = max(1, -(-surgeons // SURGEONS_PER_HUB))
    pairs = _pairs(rng, requests, profiles, slots_of, hubs)
    instance = Instance(
        learners=tuple(r.learner_id for r in requests),
        surgeons=roster,
        slots=tuple(slot for p in profiles for slot in slots_of[p.surgeon_id]),
        pairs=tuple(pairs),
    )
    return BenchDay(instance=instance, requests=requests, profiles=profiles)


def dump(instance: Instance, assignment: Assignment) -> dict:
    """The instance and the chosen assignment as plain JSON-ready data.

    Pairs are [learner, slot, fit] triples to keep a large day's file small.
    """
    return {
        "learners": list(instance.learners),
        "surgeons": [{"id": s.id, "max_sessions": s.max_sessions} for s in instance.surgeons],
        "slots": [{"id": s.id, "surgeon": s.surgeon_id, "start": s.start, "end": s.end} for s in instance.slots],
        "pairs": [[p.learner_id, p.slot_id, p.fit] for p in instance.pairs],
        "locked": [list(key) for key in instance.locked],
        "assignment": [[p.learner_id, p.slot_id] for p in assignment.pairs],
        "matched": assignment.matched,
        "total_fit": assignment.total_fit,
    }
