"""Fair shares: the day's limit of one-to-one sessions per learner, on every way of booking."""

from datetime import timedelta

import pytest

from matchmaking.models import ProposedPair
from matchmaking.services import matchmaking_run
from surgeries import errors
from surgeries.models import Booking, SurgeryDay, WaitingListEntry
from surgeries.services import booking_cancel, booking_create, booking_reschedule, waiting_list_join
from surgeries.services.desk import walk_in_book
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    add_request,
    add_surgeon,
    booked_slot,
    confirm_now,
    make_day,
    member,
)

pytestmark = pytest.mark.django_db


def _slots(day: SurgeryDay, count: int):
    """`count` free slots on the day, back to back, each with its own surgeon."""
    return [
        SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(minutes=30 * k))
        for k in range(count)
    ]


def _limited_day(limit: int | None, **fields) -> SurgeryDay:
    return SurgeryDayFactory(max_sessions_per_learner=limit, **fields)


def _active(learner) -> int:
    return Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).count()


def test_booking_create_refuses_a_session_beyond_the_limit_and_says_why(learner):
    day = _limited_day(2)
    first, second, third = _slots(day, 3)
    booking_create(slot_id=first.pk, learner=learner)
    booking_create(slot_id=second.pk, learner=learner)

    with pytest.raises(errors.SessionLimitReached) as refused:
        booking_create(slot_id=third.pk, learner=learner)

    assert refused.value.message == "You have 2 sessions this day, the most this surgery allows."
    assert _active(learner) == 2


def test_the_message_for_a_limit_of_one_says_one_session(learner):
    day = _limited_day(1)
    first, second = _slots(day, 2)
    booking_create(slot_id=first.pk, learner=learner)

    with pytest.raises(errors.SessionLimitReached) as refused:
        booking_create(slot_id=second.pk, learner=learner)

    assert refused.value.message == "You have 1 session this day, the most this surgery allows."


def test_no_limit_lets_a_learner_book_as_many_sessions_as_are_free(learner):
    day = _limited_day(None)
    for slot in _slots(day, 4):
        booking_create(slot_id=slot.pk, learner=learner)

    assert _active(learner) == 4


def test_cancelled_sessions_and_other_days_do_not_count(learner):
    day = _limited_day(1)
    first, second = _slots(day, 2)
    booking_cancel(booking_id=booking_create(slot_id=first.pk, learner=learner).pk, by=learner)
    booked_slot(slot=_slots(SurgeryDayFactory(organisation=day.organisation), 1)[0], learner=learner)

    booking_create(slot_id=second.pk, learner=learner)

    assert _active(learner) == 2


def test_reschedule_at_the_limit_moves_the_session(learner):
    day = _limited_day(1)
    first, second = _slots(day, 2)
    booking = booking_create(slot_id=first.pk, learner=learner)

    moved = booking_reschedule(booking_id=booking.pk, new_slot_id=second.pk, by=learner)

    assert (moved.slot, _active(learner)) == (second, 1)


def test_waiting_list_skips_a_learner_at_the_limit_and_keeps_their_place(learner):
    day = _limited_day(1)
    first, second = _slots(day, 2)
    booking_create(slot_id=first.pk, learner=learner)
    taken = booked_slot(slot=second)
    next_in_line = UserFactory()
    waiting_list_join(day=day, person=learner)
    waiting_list_join(day=day, person=next_in_line)

    booking_cancel(booking_id=taken.pk, by=taken.learner)

    assert Booking.objects.get(slot=second, status=Booking.Status.ACTIVE).learner == next_in_line
    assert WaitingListEntry.objects.get(person=learner).status == WaitingListEntry.Status.WAITING
    assert _active(learner) == 1


def test_matchmaking_confirm_does_not_book_a_learner_at_the_limit(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    request = add_request(day, topics={topics["Blogging"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    # Meanwhile the learner books a session by hand at another time, and the organiser sets a limit of one.
    later = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(hours=2))
    booking_create(slot_id=later.pk, learner=request.learner)
    SurgeryDay.objects.filter(pk=day.pk).update(max_sessions_per_learner=1)

    confirmed = confirm_now(day, proposal, organiser)

    pair = ProposedPair.objects.get(proposal=proposal)
    assert (confirmed.pairs_booked, confirmed.pairs_not_booked) == (0, 1)
    assert pair.problem == "The learner already has as many sessions as this day allows."
    assert _active(request.learner) == 1


def test_desk_walk_in_may_book_beyond_the_limit_when_the_organiser_ticks_it(organisation, organiser):
    day = _limited_day(1, organisation=organisation)
    first, second = _slots(day, 2)
    person = member(organisation)
    booking_create(slot_id=first.pk, learner=person)

    walk_in_book(
        day=day, by=organiser, email=person.email, display_name="", slot_id=second.pk, consent=True, beyond_limit=True
    )

    assert _active(person) == 2


def test_desk_walk_in_without_the_tick_obeys_the_limit_and_says_so(organisation, organiser):
    day = _limited_day(1, organisation=organisation)
    first, second = _slots(day, 2)
    person = member(organisation)
    booking_create(slot_id=first.pk, learner=person)

    with pytest.raises(errors.SessionLimitReached) as refused:
        walk_in_book(day=day, by=organiser, email=person.email, display_name="", slot_id=second.pk, consent=True)

    assert refused.value.message == "They already have 1 session this day, the most this surgery allows."
    assert _active(person) == 1


def test_without_the_override_an_organisers_booking_obeys_the_limit(organisation, organiser, learner):
    day = _limited_day(1, organisation=organisation)
    first, second = _slots(day, 2)
    booking_create(slot_id=first.pk, learner=learner)

    with pytest.raises(errors.SessionLimitReached):
        booking_create(slot_id=second.pk, learner=learner, booked_by=organiser, at_desk=True)
