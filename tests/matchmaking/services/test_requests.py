"""A learner's request to be matched."""

from datetime import timedelta

import pytest

from matchmaking.models import MatchRequest
from matchmaking.services import MatchmakingError, RequestDetails, match_request_save
from people.models import OrganisationBlock
from surgeries import errors
from surgeries.models import SurgeryDay
from tests.factories import SurgeryDayFactory, UserFactory, add_request, make_day

pytestmark = pytest.mark.django_db


def test_match_request_save_replaces_topics_and_merges_touching_times(organisation, learner):
    day, topics = make_day(organisation)
    hour = timedelta(hours=1)
    windows = [(day.starts_at, day.starts_at + hour), (day.starts_at + hour, day.starts_at + 2 * hour)]
    add_request(day, learner=learner, topics={topics["Blogging"]: 1})

    request = add_request(day, learner=learner, topics={topics["Privacy settings"]: 3}, windows=windows)

    assert [(rt.topic.name, rt.priority) for rt in request.topics.all()] == [("Privacy settings", 3)]
    assert [(w.starts_at, w.ends_at) for w in request.windows.all()] == [(day.starts_at, day.starts_at + 2 * hour)]


def test_match_request_save_refuses_drafts_blocked_people_and_matched_requests(organisation, learner):
    draft = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    with pytest.raises(errors.BookingClosed):
        match_request_save(day=draft, learner=learner, details=RequestDetails())
    day, _ = make_day(organisation)
    OrganisationBlock.objects.create(organisation=organisation, person=learner)
    with pytest.raises(errors.PersonBlocked):
        match_request_save(day=day, learner=learner, details=RequestDetails())
    other = UserFactory()
    request = add_request(day, learner=other)
    MatchRequest.objects.filter(pk=request.pk).update(status=MatchRequest.Status.MATCHED)
    with pytest.raises(MatchmakingError):
        match_request_save(day=day, learner=other, details=RequestDetails(note="changed"))
