"""How well a surgeon suits a learner's request, and the words that explain it.

Pure functions over plain data. Topics are identified by the name the organisers
gave them (names are unique within an organisation); languages by their name;
perspectives by a short code such as "lived_experience".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from matchmaking.core.instance import AllowedPair, Id, Moment, ReasonKind, ReasonPart, Slot

# A wish met is worth about as much as a mid-priority topic with a fairly
# confident surgeon (2 x 2), so a wish can tip a choice but not outweigh the
# learner's main topic.
WISH_POINTS = 4

PERSPECTIVE_PHRASES = {
    "lived_experience": "a peer with lived experience",
    "worker_voluntary": "a worker from the voluntary sector",
    "worker_statutory": "a worker from a statutory service",
    "volunteer": "a volunteer",
    "community_journalist": "a community journalist",
    "tech_expert": "a tech or social media expert",
}


class Strength(StrEnum):
    MUST = "must"
    WISH = "wish"


class Audience(StrEnum):
    ORGANISER = "organiser"
    LEARNER = "learner"


@dataclass(frozen=True, slots=True)
class Preference:
    """A learner's preference about the surgeon: a perspective code or a language."""

    kind: ReasonKind
    value: str
    strength: Strength = Strength.WISH

    def __post_init__(self) -> None:
        if self.kind is ReasonKind.TOPIC:
            raise ValueError("A preference is about a perspective or a language; topics go in `wanted`.")


@dataclass(frozen=True, slots=True)
class SurgeonPerspective:
    """A perspective with the surgeon's own visibility choice, as two flags.

    Map the profile's visibility: only me → (False, False); organisers →
    (True, False); people I am paired with or everyone → (True, True).
    """

    code: str
    visible_to_organisers: bool = False
    visible_to_pair: bool = False


@dataclass(frozen=True, slots=True)
class SurgeonProfile:
    surgeon_id: Id
    confidence: Mapping[str, int]  # topic name → 1 (can help a bit) … 3 (very confident)
    languages: frozenset[str]
    perspectives: tuple[SurgeonPerspective, ...] = ()


@dataclass(frozen=True, slots=True)
class LearnerRequest:
    """What a learner asked for. `free` lists (start, end) windows; None: all day."""

    learner_id: Id
    wanted: Mapping[str, int]  # topic name → priority 1 (nice to have) … 3 (most important)
    languages: frozenset[str]
    preferences: tuple[Preference, ...] = ()
    free: tuple[tuple[Moment, Moment], ...] | None = None


@dataclass(frozen=True, slots=True)
class PairFit:
    fit: int
    reasons: tuple[ReasonPart, ...] = ()


def topic_parts(wanted: Mapping[str, int], confidence: Mapping[str, int]) -> list[ReasonPart]:
    """One part per topic both share, worth priority x confidence."""
    return [
        ReasonPart(kind=ReasonKind.TOPIC, value=topic, points=priority * confidence[topic])
        for topic, priority in wanted.items()
        if confidence.get(topic, 0) > 0
    ]


def _perspective_part(preference: Preference, surgeon: SurgeonProfile) -> ReasonPart | None:
    # Only what the surgeon showed organisers may be used for matching at all.
    for perspective in surgeon.perspectives:
        if perspective.code == preference.value and perspective.visible_to_organisers:
            must = preference.strength is Strength.MUST
            points = 0 if must else WISH_POINTS
            return ReasonPart(ReasonKind.PERSPECTIVE, preference.value, points, must, perspective.visible_to_pair)
    return None


def preference_part(preference: Preference, surgeon: SurgeonProfile) -> ReasonPart | None:
    """The reason part when the surgeon meets the preference, else None.

    A must that is met earns no points: it already decides which pairs exist.
    """
    if preference.kind is ReasonKind.PERSPECTIVE:
        return _perspective_part(preference, surgeon)
    if preference.value not in surgeon.languages:
        return None
    must = preference.strength is Strength.MUST
    return ReasonPart(ReasonKind.LANGUAGE, preference.value, 0 if must else WISH_POINTS, must)


def pair_fit(request: LearnerRequest, surgeon: SurgeonProfile) -> PairFit | None:
    """The fit between a request and a surgeon, or None when they may not be paired.

    Not allowed: the same person, no shared language, an unmet must, or (when the
    learner named topics) no topic in common.
    """
    if request.learner_id == surgeon.surgeon_id or not request.languages & surgeon.languages:
        return None
    parts = topic_parts(request.wanted, surgeon.confidence)
    if request.wanted and not parts:
        return None
    for preference in request.preferences:
        part = preference_part(preference, surgeon)
        if part is None and preference.strength is Strength.MUST:
            return None
        if part is not None:
            parts.append(part)
    return PairFit(fit=sum(part.points for part in parts), reasons=tuple(parts))


def is_free(request: LearnerRequest, slot: Slot) -> bool:
    if request.free is None:
        return True
    return any(start <= slot.start and slot.end <= end for start, end in request.free)


def allowed_pairs(
    requests: Iterable[LearnerRequest], surgeons: Iterable[SurgeonProfile], slots: Iterable[Slot]
) -> list[AllowedPair]:
    """Every allowed learner-slot pair with its fit, for a day of ordinary size.

    The caller still removes pairs this cannot see: clashes with the learner's
    other bookings and workshops (or narrows `free` instead), and blocks.
    """
    slots_of: dict[Id, list[Slot]] = {}
    for slot in slots:
        slots_of.setdefault(slot.surgeon_id, []).append(slot)
    surgeons = list(surgeons)
    pairs = []
    for request in requests:
        for surgeon in surgeons:
            fit = pair_fit(request, surgeon)
            if fit is None:
                continue
            pairs += [
                AllowedPair(request.learner_id, slot.id, fit.fit, fit.reasons)
                for slot in slots_of.get(surgeon.surgeon_id, ())
                if is_free(request, slot)
            ]
    return pairs


def _phrase(part: ReasonPart) -> str:
    verb = "needs" if part.must else "prefers"
    if part.kind is ReasonKind.LANGUAGE:
        return f"{verb} a surgeon who speaks {part.value}"
    return f"{verb} {perspective_phrase(part.value)}"


def perspective_phrase(code: str) -> str:
    return PERSPECTIVE_PHRASES.get(code, f"a surgeon with the perspective “{code}”")


def explain_pair(reasons: Sequence[ReasonPart], *, audience: Audience) -> str:
    """Plain English for why a pair was made, e.g. "both: blogging; prefers a peer with lived experience".

    The learner only hears about a surgeon's perspective if the surgeon lets
    the people they are paired with see it.
    """
    topics = [part.value for part in reasons if part.kind is ReasonKind.TOPIC]
    phrases = [f"both: {', '.join(topics)}"] if topics else []
    phrases += [
        _phrase(part)
        for part in reasons
        if part.kind is not ReasonKind.TOPIC and (audience is Audience.ORGANISER or part.visible_to_pair)
    ]
    return "; ".join(phrases) or "free at a time that suits you, in a language you share"


class UnmatchedCode(StrEnum):
    NO_TOPIC = "no_topic"
    NO_LANGUAGE = "no_language"
    NOT_FREE = "not_free"
    MUST_UNMET = "must_unmet"
    UNAVAILABLE = "unavailable"
    TAKEN = "taken"


@dataclass(frozen=True, slots=True)
class UnmatchedReason:
    code: UnmatchedCode
    text: str


def _topic_words(wanted: Mapping[str, int]) -> str:
    ordered = sorted(wanted, key=lambda topic: -wanted[topic])
    return ", ".join(ordered[:-1]) + f" or {ordered[-1]}" if len(ordered) > 1 else ordered[0]


def _taken(suitable_slots: int) -> UnmatchedReason:
    if suitable_slots == 1:
        return UnmatchedReason(UnmatchedCode.TAKEN, "the one slot that suited you went to another learner")
    return UnmatchedReason(UnmatchedCode.TAKEN, f"all {suitable_slots} slots that suited you went to other learners")


def _must_filter(request: LearnerRequest, surgeons: list[SurgeonProfile], who: str) -> UnmatchedReason | None:
    for preference in request.preferences:
        if preference.strength is not Strength.MUST:
            continue
        surgeons = [s for s in surgeons if preference_part(preference, s) is not None]
        if surgeons:
            continue
        if preference.kind is ReasonKind.LANGUAGE:
            need = f"speaks {preference.value}"
        else:
            need = f"is {perspective_phrase(preference.value)}"
        return UnmatchedReason(UnmatchedCode.MUST_UNMET, f"{who} {need}, as you need")
    return None


def explain_unmatched(
    request: LearnerRequest, surgeons: Iterable[SurgeonProfile], slots: Iterable[Slot], *, suitable_slots: int
) -> UnmatchedReason:
    """Why a learner has no slot, in words fit to show them.

    1. If the learner had suitable slots (`suitable_slots`, the number of allowed
       pairs they had), others took them.
    2. Otherwise narrow the day's surgeons step by step (topic, shared language,
       a slot while the learner is free, each must) and report the first step
       that leaves nobody.
    3. If someone survives every step, the caller's own filters (clashes with
       other bookings, blocks) removed them; say so without naming anyone.
    """
    if suitable_slots:
        return _taken(suitable_slots)
    candidates = [s for s in surgeons if s.surgeon_id != request.learner_id]
    topics = _topic_words(request.wanted) if request.wanted else ""
    if topics:
        candidates = [s for s in candidates if topic_parts(request.wanted, s.confidence)]
        if not candidates:
            return UnmatchedReason(UnmatchedCode.NO_TOPIC, f"no surgeon offers {topics}")
    who = f"no surgeon who offers {topics}" if topics else "no surgeon"
    candidates = [s for s in candidates if request.languages & s.languages]
    if not candidates:
        languages = " or ".join(sorted(request.languages))
        return UnmatchedReason(UnmatchedCode.NO_LANGUAGE, f"{who} speaks {languages}")
    free_surgeons = {slot.surgeon_id for slot in slots if is_free(request, slot)}
    candidates = [s for s in candidates if s.surgeon_id in free_surgeons]
    if not candidates:
        text = f"no surgeon offers {topics} while you are free"
        if not topics:
            text = "no surgeon who speaks your language is free when you are"
        return UnmatchedReason(UnmatchedCode.NOT_FREE, text)
    who = f"{who} while you are free" if topics else "no surgeon who is free when you are"
    return _must_filter(request, candidates, who) or UnmatchedReason(
        UnmatchedCode.UNAVAILABLE, "the slots that could suit you clash with the rest of your day"
    )
