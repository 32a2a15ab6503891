"""Reads for the network directory: who is listed, as a given member may see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from people.models import ContactBlock, DirectoryListing, Organisation, Profile, TopicOffer, TopicWant, User
from people.selectors import blocked_people


@dataclass(frozen=True)
class DirectoryEntry:
    person_id: int
    display_name: str
    intro: str
    pronouns: str
    languages: str
    offers: tuple[str, ...]
    wants: tuple[str, ...]
    accepts_messages: bool


def directory_entries(*, organisation: Organisation, viewer: User, topic_id: int | None = None) -> list[DirectoryEntry]:
    """Listed members as the viewer may see them, in four queries whatever their number.

    Only fields the person chose to show are read into an entry. The topic filter
    matches only interests the person shows, so filtering cannot reveal a hidden one.
    Someone who blocked the viewer is left out for the viewer.
    """
    listings = (
        DirectoryListing.objects.filter(organisation=organisation, person__is_active=True)
        .exclude(person_id__in=blocked_people(organisation_id=organisation.pk))
        .exclude(person__contact_blocks__blocked=viewer)
        .select_related("person")
    )
    if topic_id:
        listings = listings.filter(
            Q(show_topics_offered=True, person__topic_offers__topic_id=topic_id)
            | Q(show_topics_wanted=True, person__topic_wants__topic_id=topic_id)
        ).distinct()
    listings = list(listings.order_by("person__display_name", "person_id"))
    ids = [listing.person_id for listing in listings]
    profiles = {p.person_id: p for p in Profile.objects.filter(person_id__in=ids)}
    offers, wants = _topics_by_person(ids, organisation)
    return [_entry(listing, profiles.get(listing.person_id), offers, wants) for listing in listings]


def _topics_by_person(ids: list[int], organisation: Organisation) -> tuple[dict, dict]:
    offers: dict[int, list[str]] = {}
    wants: dict[int, list[str]] = {}
    for person_id, name in TopicOffer.objects.filter(
        person_id__in=ids, topic__organisation=organisation, topic__is_active=True
    ).values_list("person_id", "topic__name"):
        offers.setdefault(person_id, []).append(name)
    for person_id, name in TopicWant.objects.filter(
        person_id__in=ids, topic__organisation=organisation, topic__is_active=True
    ).values_list("person_id", "topic__name"):
        wants.setdefault(person_id, []).append(name)
    return offers, wants


def _entry(listing: DirectoryListing, profile: Profile | None, offers: dict, wants: dict) -> DirectoryEntry:
    return DirectoryEntry(
        person_id=listing.person_id,
        display_name=listing.person.display_name,
        intro=listing.intro,
        pronouns=profile.pronouns if profile and listing.show_pronouns else "",
        languages=profile.languages if profile and listing.show_languages else "",
        offers=tuple(sorted(offers.get(listing.person_id, []))) if listing.show_topics_offered else (),
        wants=tuple(sorted(wants.get(listing.person_id, []))) if listing.show_topics_wanted else (),
        accepts_messages=listing.accepts_messages,
    )


def directory_entry(*, organisation: Organisation, viewer: User, person_id: int) -> DirectoryEntry | None:
    return next(
        (e for e in directory_entries(organisation=organisation, viewer=viewer) if e.person_id == person_id), None
    )


def listing_of(*, organisation: Organisation, person: User) -> DirectoryListing | None:
    """The person's own listing in the organisation's directory, or None."""
    return DirectoryListing.objects.filter(organisation=organisation, person=person).first()


def blocks_by(*, person: User) -> QuerySet[ContactBlock]:
    """The people this person has stopped from writing to them, with who they are."""
    return ContactBlock.objects.filter(blocker=person).select_related("blocked")
