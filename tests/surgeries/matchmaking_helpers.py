"""Arranging a small matchmaking day for the tests."""

from datetime import timedelta

from people.models import Membership, Topic
from people.visibility import Visibility
from surgeries.models import Commitment
from surgeries.services.matchmaking import RequestDetails, match_request_save
from tests.factories import (
    DaySurgeonFactory,
    MembershipFactory,
    PersonPerspectiveFactory,
    ProfileFactory,
    SlotFactory,
    SurgeryDayFactory,
    TopicFactory,
    TopicOfferFactory,
    UserFactory,
)


def make_day(organisation):
    """A published day and the organisation's two topics (made the first time)."""
    day = SurgeryDayFactory(organisation=organisation)
    topics = {
        name: Topic.objects.filter(organisation=organisation, name=name).first()
        or TopicFactory(organisation=organisation, name=name)
        for name in ("Blogging", "Privacy settings")
    }
    return day, topics


def add_surgeon(day, *, person=None, offers=None, languages="English", slots=2, max_sessions=6, perspectives=None):
    """A surgeon with back-to-back 30-minute slots from the start of the day."""
    person = person or UserFactory()
    if not Membership.objects.filter(organisation=day.organisation, person=person).exists():
        MembershipFactory(organisation=day.organisation, person=person, role=Membership.Role.SURGEON)
    ProfileFactory(person=person, languages=languages)
    for topic, confidence in (offers or {}).items():
        TopicOfferFactory(person=person, topic=topic, confidence=confidence)
    for code, visibility in (perspectives or {}).items():
        PersonPerspectiveFactory(person=person, perspective=code, visibility=visibility)
    day_surgeon = DaySurgeonFactory(day=day, person=person, max_sessions=max_sessions)
    made = [
        SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * k)) for k in range(slots)
    ]
    return person, made


def add_request(day, *, learner=None, topics=None, preferences=(), languages="English", windows=()):
    learner = learner or UserFactory()
    details = RequestDetails(
        topics={topic.pk: priority for topic, priority in (topics or {}).items()},
        preferences=list(preferences),
        languages=languages,
        windows=list(windows),
    )
    return match_request_save(day=day, learner=learner, details=details)


def busy(person, day, start, minutes=30):
    return Commitment.objects.create(
        person=person,
        day=day,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        role=Commitment.Role.PARTICIPANT,
    )


VIS = Visibility


def confirm_now(day, proposal, by):
    """Confirm a proposal and book it here and now, as the queued job would; returns the proposal."""
    from surgeries.services.matchmaking_confirm import proposal_confirm_pairs, proposal_confirm_start

    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=by)
    return proposal_confirm_pairs(proposal_id=proposal.pk)
