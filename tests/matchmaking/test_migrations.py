"""Upgrading a database made while matchmaking's models belonged to surgeries."""

import pytest
from django.contrib.contenttypes.models import ContentType

from matchmaking.models import MatchRequest, RequestTopic
from tests.factories import SurgeryDayFactory, TopicFactory, UserFactory
from tests.migrations import migrate_to, migrate_to_latest

BEFORE_THE_MOVE = [("surgeries", "0008_matchmaking_confirm_in_background"), ("matchmaking", None)]


@pytest.mark.django_db(transaction=True)
def test_requests_made_before_the_move_are_read_through_the_matchmaking_app():
    day = SurgeryDayFactory()
    learner = UserFactory()
    topic = TopicFactory(organisation=day.organisation)
    old_type = ContentType.objects.get_for_model(MatchRequest)
    executor = migrate_to(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps
    OldRequest = old_apps.get_model("surgeries", "MatchRequest")
    OldRequestTopic = old_apps.get_model("surgeries", "RequestTopic")
    old = OldRequest.objects.create(day_id=day.pk, learner_id=learner.pk, note="before the move")
    OldRequestTopic.objects.create(request_id=old.pk, topic_id=topic.pk, priority=3)
    # Databases made before the move hold surgeries' content type rows for these models.
    ContentType.objects.filter(pk=old_type.pk).update(app_label="surgeries")

    migrate_to_latest()

    request = MatchRequest.objects.get(pk=old.pk)
    assert (request.day_id, request.learner_id, request.note) == (day.pk, learner.pk, "before the move")
    assert list(RequestTopic.objects.filter(request=request).values_list("topic_id", "priority")) == [(topic.pk, 3)]
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(MatchRequest).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="surgeries", model="matchrequest").exists()
