import pytest

from tests.factories import PersonPerspectiveFactory, ProfileFactory, TopicOfferFactory, TopicWantFactory

_provided: dict = {}


def provided_relationships(viewer, person_ids):
    """Stands in for the surgeries app's provider (settings.VISIBILITY_RELATIONSHIPS)."""
    return {pid: _provided[(viewer.pk, pid)] for pid in person_ids if (viewer.pk, pid) in _provided}


@pytest.fixture
def provided(settings):
    """Set `provided[(viewer_id, person_id)] = {...}` to make the viewer paired or at an event with the person."""
    settings.VISIBILITY_RELATIONSHIPS = f"{__name__}.provided_relationships"
    _provided.clear()
    yield _provided
    _provided.clear()


@pytest.fixture
def full_profile(organisation, learner):
    """The learner persona with a profile, a perspective, and a topic offered and wanted."""
    ProfileFactory(person=learner, bio="About me", access_needs=["bsl"], access_needs_other="Large screen")
    PersonPerspectiveFactory(person=learner, perspective="lived_experience", visibility="paired")
    TopicOfferFactory(person=learner, topic__organisation=organisation, topic__name="Blogging", confidence=2)
    TopicWantFactory(person=learner, topic__organisation=organisation, topic__name="Podcasts")
    return learner
