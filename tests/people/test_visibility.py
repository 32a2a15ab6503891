"""The visibility policy: every visibility against every relationship, then the batched profile view."""

import pytest

from people.enums import RELATIONSHIPS, AccessNeed, Perspective, Visibility
from people.visibility import (
    can_see,
    levels_visible_to,
    relationship_provider,
    relationships_between,
    visible_profile,
    visible_profiles,
)
from surgeries.selectors.relationships import relationships_for
from tests.factories import (
    MembershipFactory,
    PersonPerspectiveFactory,
    ProfileFactory,
    TopicOfferFactory,
    TopicWantFactory,
    UserFactory,
    booked_slot,
)

# Expected answer for one relationship at a time: levels widen from "only me" to "event".
EXPECTED = {
    (Visibility.ONLY_ME, "self"): True,
    (Visibility.ONLY_ME, "organiser"): False,
    (Visibility.ONLY_ME, "paired"): False,
    (Visibility.ONLY_ME, "event"): False,
    (Visibility.ORGANISERS, "self"): True,
    (Visibility.ORGANISERS, "organiser"): True,
    (Visibility.ORGANISERS, "paired"): False,
    (Visibility.ORGANISERS, "event"): False,
    (Visibility.PAIRED, "self"): True,
    (Visibility.PAIRED, "organiser"): True,
    (Visibility.PAIRED, "paired"): True,
    (Visibility.PAIRED, "event"): False,
    (Visibility.EVENT, "self"): True,
    (Visibility.EVENT, "organiser"): True,
    (Visibility.EVENT, "paired"): True,
    (Visibility.EVENT, "event"): True,
}


@pytest.mark.parametrize(("level", "relationship"), list(EXPECTED))
def test_can_see_each_visibility_for_each_relationship(level, relationship):
    assert can_see(visibility=level, relationships={relationship}) is EXPECTED[(level, relationship)]


@pytest.mark.parametrize("level", Visibility.values)
def test_can_see_nothing_without_a_relationship(level):
    assert can_see(visibility=level, relationships=set()) is False


@pytest.mark.parametrize("level", Visibility.values)
def test_can_see_with_several_relationships_if_any_is_enough(level):
    relationships = {"event", "paired"}

    expected = EXPECTED[(level, "event")] or EXPECTED[(level, "paired")]

    assert can_see(visibility=level, relationships=relationships) is expected


def test_can_see_unknown_visibility_fails_closed():
    assert can_see(visibility="public", relationships={"organiser", "paired", "event"}) is False
    assert can_see(visibility="public", relationships={"self"}) is True


@pytest.mark.parametrize("relationship", sorted(RELATIONSHIPS))
def test_levels_visible_to_agrees_with_can_see(relationship):
    expected = tuple(level for level in Visibility if EXPECTED[(level, relationship)])

    assert levels_visible_to(relationship) == expected


def test_levels_visible_to_an_organiser_leave_out_only_me():
    assert levels_visible_to("organiser") == (Visibility.ORGANISERS, Visibility.PAIRED, Visibility.EVENT)


def test_levels_visible_to_an_unknown_relationship_are_none():
    assert levels_visible_to("stranger") == ()


def test_visibility_labels_are_plain_english():
    assert Visibility.choices == [
        ("only_me", "Only me"),
        ("organisers", "Organisers"),
        ("paired", "People I am paired with"),
        ("event", "Everyone at my events"),
    ]


# --- relationships_between --------------------------------------------------------


def test_relationships_between_self_and_organiser(organiser, learner, surgeon):
    assert relationships_between(viewer=organiser, person_ids=[learner.pk, organiser.pk]) == {
        learner.pk: {"organiser"},
        organiser.pk: {"self", "organiser"},
    }
    assert relationships_between(viewer=surgeon, person_ids=[learner.pk]) == {learner.pk: set()}


def test_relationships_between_other_organisation_organiser_gets_nothing(other_organiser, learner):
    assert relationships_between(viewer=other_organiser, person_ids=[learner.pk]) == {learner.pk: set()}


def test_relationships_between_asks_providers_for_paired_and_event(provided, surgeon, learner, stranger):
    provided[(surgeon.pk, learner.pk)] = {"paired", "event"}
    provided[(surgeon.pk, stranger.pk)] = {"event"}

    result = relationships_between(viewer=surgeon, person_ids=[learner.pk, stranger.pk])

    assert result == {learner.pk: {"paired", "event"}, stranger.pk: {"event"}}


def test_relationships_between_providers_cannot_claim_organiser_or_self(provided, surgeon, learner):
    provided[(surgeon.pk, learner.pk)] = {"organiser", "self"}

    assert relationships_between(viewer=surgeon, person_ids=[learner.pk]) == {learner.pk: set()}


def test_relationship_provider_is_the_surgery_days_by_default():
    assert relationship_provider() is relationships_for


def test_relationships_between_asks_the_surgery_days_by_default(slot, learner, surgeon):
    booked_slot(slot=slot, learner=learner)

    assert relationships_between(viewer=learner, person_ids=[surgeon.pk]) == {surgeon.pk: {"paired", "event"}}


def test_relationships_between_without_a_provider_finds_nobody_paired(settings, slot, learner, surgeon):
    settings.VISIBILITY_RELATIONSHIPS = ""
    booked_slot(slot=slot, learner=learner)

    assert relationships_between(viewer=learner, person_ids=[surgeon.pk]) == {surgeon.pk: set()}


# --- visible_profile: every visibility against every relationship -------------------------

VIEWERS = ["self", "organiser", "paired", "event", "none", "other_organiser"]


def _viewer_for(kind, *, person, organisation, provided):
    if kind == "self":
        return person
    if kind == "organiser":
        viewer = UserFactory()
        MembershipFactory(organisation=organisation, person=viewer, role="organiser")
        return viewer
    if kind == "other_organiser":
        viewer = UserFactory()
        MembershipFactory(person=viewer, role="organiser")
        return viewer
    viewer = UserFactory()
    MembershipFactory(organisation=organisation, person=viewer, role="member")
    if kind in {"paired", "event"}:
        provided[(viewer.pk, person.pk)] = {kind}
    return viewer


@pytest.mark.parametrize("level", Visibility.values)
@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_visible_profile_shows_each_sensitive_field_only_to_its_audience(
    level, viewer_kind, organisation, learner, provided
):
    ProfileFactory(
        person=learner,
        bio="I run a peer support group.",
        bio_visibility=level,
        access_needs=[AccessNeed.QUIET_SPACE],
        access_needs_other="Breaks every hour",
        access_needs_visibility=level,
    )
    PersonPerspectiveFactory(person=learner, perspective=Perspective.LIVED_EXPERIENCE, visibility=level)
    viewer = _viewer_for(viewer_kind, person=learner, organisation=organisation, provided=provided)
    relationship = viewer_kind if viewer_kind in {"self", "organiser", "paired", "event"} else None
    allowed = relationship is not None and EXPECTED[(level, relationship)]

    seen = visible_profile(viewer=viewer, person=learner)

    assert (seen.bio == "I run a peer support group.") is allowed
    assert (seen.bio is None) is not allowed
    assert seen.perspectives == (("Lived experience of mental health difficulties",) if allowed else ())
    assert seen.access_needs == (("A quiet space or breaks", "Breaks every hour") if allowed else ())
    assert ("bio" in seen.as_dict()) is allowed
    assert seen.shown == (("perspectives", "access_needs", "bio") if allowed else ())


def test_visible_profile_defaults_to_only_me(organiser, learner):
    ProfileFactory(person=learner, bio="Private by default", access_needs=[AccessNeed.STEP_FREE])
    PersonPerspectiveFactory(person=learner, perspective=Perspective.VOLUNTEER)

    seen = visible_profile(viewer=organiser, person=learner)

    assert (seen.bio, seen.perspectives, seen.access_needs) == (None, (), ())
    assert seen.as_dict() == {
        "display_name": learner.display_name,
        "pronouns": "they/them",
        "languages": "English",
        "topics_offered": [],
        "topics_wanted": [],
    }


def test_visible_profile_perspectives_each_have_their_own_visibility(organiser, learner):
    PersonPerspectiveFactory(person=learner, perspective=Perspective.LIVED_EXPERIENCE, visibility="only_me")
    PersonPerspectiveFactory(person=learner, perspective=Perspective.VOLUNTEER, visibility="organisers")

    seen = visible_profile(viewer=organiser, person=learner)

    assert seen.perspectives == ("Volunteer",)


def test_visible_profile_contact_notes_only_for_self_and_organisers(organiser, surgeon, learner):
    ProfileFactory(person=learner, contact_notes="Email, not phone")

    assert visible_profile(viewer=learner, person=learner).contact_notes == "Email, not phone"
    assert visible_profile(viewer=organiser, person=learner).contact_notes == "Email, not phone"
    assert visible_profile(viewer=surgeon, person=learner).contact_notes is None


def test_visible_profile_shows_skills_to_anyone_allowed_to_view(organisation, surgeon, learner):
    offer = TopicOfferFactory(person=surgeon, topic__organisation=organisation, topic__name="Blogging", confidence=3)
    TopicWantFactory(person=surgeon, topic__organisation=organisation, topic__name="Podcasts")

    seen = visible_profile(viewer=learner, person=surgeon)

    assert [(t.name, t.confidence_label) for t in seen.topics_offered] == [("Blogging", "Expert")]
    assert seen.topics_wanted == ("Podcasts",)
    assert offer.topic.name == "Blogging"


@pytest.mark.parametrize("count", [1, 50])
def test_visible_profiles_query_count_is_constant(django_assert_num_queries, organiser, organisation, count):
    people = []
    for _ in range(count):
        membership = MembershipFactory(organisation=organisation)
        ProfileFactory(person=membership.person, bio="Hello", bio_visibility="organisers")
        PersonPerspectiveFactory(person=membership.person, visibility="organisers")
        TopicOfferFactory(person=membership.person, topic__organisation=organisation)
        TopicWantFactory(person=membership.person, topic__organisation=organisation)
        people.append(membership.person)

    # relationships (1, plus the surgery-day provider's fixed 5) + profiles, perspectives, offers, wants (4)
    with django_assert_num_queries(10):
        seen = visible_profiles(viewer=organiser, people=people)

    assert [p.bio for p in seen] == ["Hello"] * count
