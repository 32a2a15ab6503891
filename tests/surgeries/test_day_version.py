from datetime import timedelta

import pytest
from django.core.cache import cache

from matchmaking.services import matchmaking_run
from people.privacy import account_delete
from surgeries.day_version import day_version
from surgeries.models import Slot
from surgeries.services import booking_cancel, day_cancel
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    TopicFactory,
    WorkshopFactory,
    add_request,
    add_surgeon,
    booked_slot,
    confirm_now,
    make_day,
    registered,
)

pytestmark = pytest.mark.django_db


def test_day_version_changes_when_a_session_is_booked_and_cancelled(day, slot, learner):
    before = day_version(day.pk)
    booking = booked_slot(slot=slot, learner=learner)
    booked = day_version(day.pk)
    booking_cancel(booking_id=booking.pk, by=learner)

    assert before < booked < day_version(day.pk)


def test_day_version_changes_again_once_the_change_commits(day, slot, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booked_slot(slot=slot, learner=learner)
    during = day_version(day.pk)
    for callback in callbacks:
        if callback.__module__ == "people.cache_versions":
            callback()

    assert day_version(day.pk) > during


def test_day_version_changes_when_a_slot_is_withdrawn_or_a_surgeon_changes_topics(day, slot, organisation):
    before = day_version(day.pk)
    Slot.objects.get(pk=slot.pk).save()  # as withdrawing it does, with is_offered=False
    withdrawn = day_version(day.pk)
    slot.day_surgeon.topics.add(TopicFactory(organisation=organisation))

    assert before < withdrawn < day_version(day.pk)


def test_day_version_changes_when_the_day_is_cancelled(day, slot, learner, organiser):
    booked_slot(slot=slot, learner=learner)
    before = day_version(day.pk)

    day_cancel(day=day, by=organiser)

    assert day_version(day.pk) > before


def test_day_version_changes_when_matchmaking_books_its_pairs(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    add_request(day, topics={topics["Blogging"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    before = day_version(day.pk)

    confirm_now(day, proposal, organiser)

    assert day_version(day.pk) > before


def test_day_version_changes_when_a_surgeon_leaves_the_network(day, surgeon):
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))
    before = day_version(day.pk)

    account_delete(person=surgeon)

    assert day_version(day.pk) > before


def test_day_version_changes_when_someone_takes_a_workshop_place(day, learner):
    workshop = WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(hours=1))
    before = day_version(day.pk)

    registered(workshop=workshop, person=learner)

    assert day_version(day.pk) > before


def test_day_version_lost_from_the_cache_starts_above_every_number_used_before(day, slot, learner):
    booked_slot(slot=slot, learner=learner)
    used = day_version(day.pk)

    cache.clear()

    assert day_version(day.pk) > used
