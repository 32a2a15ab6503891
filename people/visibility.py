"""The one policy that decides what a viewer may see of a person.

Every page, export and email that shows someone else's profile goes through
`visible_profile` or `visible_profiles`. Sensitive fields (each perspective, the
access needs, the bio) carry a `Visibility`; the levels widen in order, so a field
shown to "people I am paired with" is also shown to organisers, and a field shown to
"everyone at my events" is also shown to the people one is paired with.

Relationships between a viewer and a person:
- "self": the viewer is the person;
- "organiser": the viewer organises an organisation the person is a member of;
- "paired": a surgeon and learner on a booking that is not cancelled (surgeries app);
- "event": both take part in the same surgery day (surgeries / workshops apps).
`people` works out the first two itself; the function named by the setting
VISIBILITY_RELATIONSHIPS (surgeries) finds the rest, so `people` never imports it.
The levels and relationship names live in people/enums.py; who each level admits
lives here only (`_AUDIENCE`): reads that filter by level ask `levels_visible_to`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from people.enums import EVENT, ORGANISER, PAIRED, RELATIONSHIPS, SELF, AccessNeed, Visibility
from people.models import Membership, Profile, User
from people.selectors import ProfileData, organising_memberships, profile_data_for

# Which relationships each visibility admits. "self" always sees everything.
_AUDIENCE: dict[str, frozenset[str]] = {
    Visibility.ONLY_ME: frozenset({SELF}),
    Visibility.ORGANISERS: frozenset({SELF, ORGANISER}),
    Visibility.PAIRED: frozenset({SELF, ORGANISER, PAIRED}),
    Visibility.EVENT: frozenset({SELF, ORGANISER, PAIRED, EVENT}),
}


def levels_visible_to(relationship: str) -> tuple[Visibility, ...]:
    """The visibility levels whose fields someone with just this relationship may see, narrowest first.

    For reads that filter rows in the database (`visibility__in=...`) or that act for
    one kind of viewer, such as an organiser, rather than for a particular person.
    """
    return tuple(level for level in Visibility if relationship in _AUDIENCE[level])


def can_see(*, visibility: str, relationships: set[str] | frozenset[str]) -> bool:
    """Whether someone with these relationships to a person may see a field with this visibility.

    An unknown visibility shows nothing to anyone but the person: failing closed.
    """
    audience = _AUDIENCE.get(visibility, frozenset({SELF}))
    return bool(audience & set(relationships))


# --- Relationships --------------------------------------------------------------

RelationshipProvider = Callable[[User, list[int]], dict[int, set[str]]]


def relationship_provider() -> RelationshipProvider | None:
    """The function named by settings.VISIBILITY_RELATIONSHIPS, or None if unset.

    It is called as `fn(viewer, person_ids) -> {person_id: {"paired", "event", ...}}`
    and must run a fixed number of queries whatever the number of ids, so list pages
    stay constant. A setting rather than an import because the apps that know who is
    paired sit above people. Unset, nobody is paired or at an event: failing closed.
    """
    path = getattr(settings, "VISIBILITY_RELATIONSHIPS", "")
    return _load_provider(path) if path else None


@cache
def _load_provider(path: str) -> RelationshipProvider:
    return import_string(path)


def relationships_between(*, viewer: User, person_ids: Iterable[int]) -> dict[int, set[str]]:
    """For each person id, the set of relationships the viewer has to that person."""
    ids = list(dict.fromkeys(person_ids))
    result: dict[int, set[str]] = {person_id: set() for person_id in ids}
    if not ids or viewer is None or not viewer.is_authenticated:
        return result
    if viewer.pk in result:
        result[viewer.pk].add(SELF)
    organised = organising_memberships().filter(person=viewer).values("organisation_id")
    members = Membership.objects.filter(organisation_id__in=organised, person_id__in=ids).values_list(
        "person_id", flat=True
    )
    for person_id in members:
        result[person_id].add(ORGANISER)
    provider = relationship_provider()
    found_by_provider = provider(viewer, ids) if provider else {}
    for person_id, found in found_by_provider.items():
        if person_id in result:
            # The provider may only add the relationships it owns.
            result[person_id] |= set(found) & {PAIRED, EVENT}
    return result


# --- What a viewer sees -----------------------------------------------------------


@dataclass(frozen=True)
class OfferedTopic:
    topic_id: int
    name: str
    confidence: int
    confidence_label: str


@dataclass(frozen=True)
class VisibleProfile:
    """Only what the viewer may see of a person.

    A hidden sensitive field is never loaded into this object: `bio` is None and
    hidden perspectives and access needs are simply not in their tuples. `shown`
    names the special-category fields present, for the audit log.
    """

    person_id: int
    display_name: str
    pronouns: str
    languages: str
    topics_offered: tuple[OfferedTopic, ...]
    topics_wanted: tuple[str, ...]
    relationships: frozenset[str]
    perspectives: tuple[str, ...] = ()
    access_needs: tuple[str, ...] = ()
    bio: str | None = None
    contact_notes: str | None = None
    shown: tuple[str, ...] = field(default=())

    @property
    def is_self(self) -> bool:
        return SELF in self.relationships

    def as_dict(self) -> dict:
        """A JSON-ready form that leaves hidden fields out altogether."""
        data = {
            "display_name": self.display_name,
            "pronouns": self.pronouns,
            "languages": self.languages,
            "topics_offered": [{"topic": t.name, "confidence": t.confidence_label} for t in self.topics_offered],
            "topics_wanted": list(self.topics_wanted),
        }
        if self.perspectives:
            data["perspectives"] = list(self.perspectives)
        if self.access_needs:
            data["access_needs"] = list(self.access_needs)
        if self.bio is not None:
            data["bio"] = self.bio
        return data


def visible_profile(*, viewer: User, person: User) -> VisibleProfile:
    return visible_profiles(viewer=viewer, people=[person])[0]


def visible_profiles(*, viewer: User, people: Iterable[User]) -> list[VisibleProfile]:
    """The visible part of each person's profile, in the same order, in a fixed number of queries."""
    people = list(people)
    relationships = relationships_between(viewer=viewer, person_ids=[p.pk for p in people])
    data = profile_data_for(person_ids=[p.pk for p in people])
    return [_profile_as_seen_with(person, relationships[person.pk], data[person.pk]) for person in people]


def _profile_as_seen_with(person: User, relationships: set[str], data: ProfileData) -> VisibleProfile:
    profile = data.profile
    shown: list[str] = []
    perspectives = tuple(
        p.get_perspective_display()
        for p in data.perspectives
        if can_see(visibility=p.visibility, relationships=relationships)
    )
    if perspectives:
        shown.append("perspectives")
    access_needs: tuple[str, ...] = ()
    if profile and can_see(visibility=profile.access_needs_visibility, relationships=relationships):
        access_needs = _access_need_labels(profile)
        if access_needs:
            shown.append("access_needs")
    bio = None
    if profile and profile.bio and can_see(visibility=profile.bio_visibility, relationships=relationships):
        bio = profile.bio
        shown.append("bio")
    # Contact notes are for the people who arrange things: the person and organisers.
    contact_notes = profile.contact_notes if profile and relationships & {SELF, ORGANISER} else None
    return VisibleProfile(
        person_id=person.pk,
        display_name=person.display_name,
        pronouns=profile.pronouns if profile else "",
        languages=profile.languages if profile else "",
        topics_offered=tuple(
            OfferedTopic(o.topic_id, o.topic.name, o.confidence, o.get_confidence_display()) for o in data.offers
        ),
        topics_wanted=tuple(w.topic.name for w in data.wants),
        relationships=frozenset(relationships),
        perspectives=perspectives,
        access_needs=access_needs,
        bio=bio,
        contact_notes=contact_notes,
        shown=tuple(shown),
    )


def _access_need_labels(profile: Profile) -> tuple[str, ...]:
    labels = [AccessNeed(code).label for code in profile.access_needs if code in AccessNeed.values]
    if profile.access_needs_other:
        labels.append(profile.access_needs_other)
    return tuple(labels)


def preview_profile(*, person: User, relationship: str) -> VisibleProfile:
    """The person's own profile as someone with just this relationship would see it."""
    if relationship not in RELATIONSHIPS - {SELF}:
        raise ValueError(f"Unknown relationship {relationship!r}")
    data = profile_data_for(person_ids=[person.pk])
    return _profile_as_seen_with(person, {relationship}, data[person.pk])
