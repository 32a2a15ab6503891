"""A surgeon who cannot come: their learners are moved or wait-listed, and told once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox.models import Notification
from people.models import Membership
from people.services import person_block
from surgeries import errors
from surgeries.models import Booking, Slot, SurgeonWithdrawal, SurgeryDay, WaitingListEntry
from surgeries.notifications import BOOKING_CONFIRMED, BOOKING_RECEIVED, SURGEON_WITHDREW
from surgeries.services import booking_create, surgeon_withdraw
from tests.factories import DaySurgeonFactory, MembershipFactory, SlotFactory, TopicFactory, UserFactory
from tests.mail import mail_to

pytestmark = pytest.mark.django_db

# Messages a person is sent at once; reminders and the feedback request come later.
AT_ONCE = [SURGEON_WITHDREW, BOOKING_CONFIRMED, BOOKING_RECEIVED, "surgeries.booking_cancelled"]


def _learner(organisation, name):
    person = UserFactory(display_name=name)
    MembershipFactory(organisation=organisation, person=person, role=Membership.Role.MEMBER)
    return person


def _told(person, since) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(recipient=person, kind__in=AT_ONCE, created_at__gte=since)
    return sorted(rows.values_list("kind", "slot"))


@pytest.fixture
def topics(organisation):
    return TopicFactory(organisation=organisation, name="Facebook"), TopicFactory(
        organisation=organisation, name="Zoom"
    )


@pytest.fixture
def leaving(day, surgeon, topics):
    """The surgeon persona with two sessions booked: Ann wants Facebook help, Bo wants Zoom help."""
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    first = SlotFactory(day_surgeon=day_surgeon)
    second = SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30))
    ann, bo = _learner(day.organisation, "Ann"), _learner(day.organisation, "Bo")
    booking_create(slot_id=first.pk, learner=ann, topic_ids=[topics[0].pk])
    booking_create(slot_id=second.pk, learner=bo, topic_ids=[topics[1].pk])
    return day_surgeon, first, second, ann, bo


@pytest.fixture
def facebook_helper(day, topics):
    """Another surgeon, who helps with Facebook only, free at 11:00 and 11:30."""
    other = DaySurgeonFactory(day=day)
    other.topics.set([topics[0]])
    late = SlotFactory(day_surgeon=other, starts_at=day.starts_at + timedelta(hours=1, minutes=30))
    near = SlotFactory(day_surgeon=other, starts_at=day.starts_at + timedelta(hours=1))
    return other, near, late


def test_withdraw_from_day_moves_one_learner_and_waitlists_the_other_each_told_once(
    day, surgeon, leaving, facebook_helper
):
    day_surgeon, _first, _second, ann, bo = leaving
    other, near, _late = facebook_helper
    before = timezone.now()

    withdrawal = surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon)

    moved = Booking.objects.get(learner=ann, status=Booking.Status.ACTIVE)
    assert (moved.slot, [t.name for t in moved.topics.all()]) == (near, ["Facebook"])
    assert not Booking.objects.filter(learner=bo, status=Booking.Status.ACTIVE).exists()
    waiting = WaitingListEntry.objects.get(day=day, person=bo)
    assert (waiting.status, [t.name for t in waiting.topics.all()]) == (WaitingListEntry.Status.WAITING, ["Zoom"])
    assert _told(ann, before) == [(SURGEON_WITHDREW, "rebooked")]
    assert _told(bo, before) == [(SURGEON_WITHDREW, "waiting-list")]
    assert _told(other.person, before) == [(BOOKING_RECEIVED, "")]
    assert (withdrawal.slot, withdrawal.rebooked, withdrawal.waiting) == (None, 1, 1)
    assert list(Slot.objects.filter(day_surgeon=day_surgeon).values_list("is_offered", flat=True)) == [False, False]


def test_withdraw_emails_say_what_happened_and_where_to_change_it(day, surgeon, leaving, facebook_helper, send_due):
    day_surgeon, _first, _second, ann, bo = leaving
    mail.outbox.clear()

    surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon)
    send_due()

    (to_ann,) = mail_to(ann)
    (to_bo,) = mail_to(bo)
    assert to_ann.subject == "Surgery Day: Your session has moved: Spring surgery"
    assert "We have moved you to another session" in to_ann.body
    assert reverse("surgeries:my_bookings") in to_ann.body
    assert [name for name, _content, _type in to_ann.attachments] == ["surgery-session.ics"]
    assert to_bo.subject == "Surgery Day: Your session is off, you are on the waiting list: Spring surgery"
    assert "we have put you on the day's waiting list" in to_bo.body
    assert reverse("surgeries:my_bookings") in to_bo.body
    assert to_bo.attachments == []


def test_withdraw_one_slot_keeps_the_others(day, surgeon, leaving, facebook_helper):
    day_surgeon, first, second, ann, bo = leaving
    before = timezone.now()

    withdrawal = surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon, slot_id=second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_offered, second.is_offered) == (True, False)
    assert Booking.objects.get(learner=ann, status=Booking.Status.ACTIVE).slot == first
    assert _told(ann, before) == []
    assert _told(bo, before) == [(SURGEON_WITHDREW, "waiting-list")]
    assert (withdrawal.slot, withdrawal.rebooked, withdrawal.waiting) == (second, 0, 1)


def test_withdraw_learner_already_waiting_keeps_their_place_and_is_told_once(day, surgeon, leaving):
    day_surgeon, _first, second, _ann, bo = leaving
    entry = WaitingListEntry.objects.create(day=day, person=bo, created_at=day.starts_at - timedelta(days=3))
    before = timezone.now()

    surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon, slot_id=second.pk)

    assert list(WaitingListEntry.objects.filter(person=bo).values_list("pk", flat=True)) == [entry.pk]
    assert _told(bo, before) == [(SURGEON_WITHDREW, "waiting-list")]


def test_withdraw_by_someone_else_is_refused(day, leaving, organiser, stranger):
    day_surgeon, *_ = leaving

    for person in (stranger, organiser):
        with pytest.raises(errors.NotAllowed):
            surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=person)

    assert Booking.objects.filter(day=day, status=Booking.Status.ACTIVE).count() == 2
    assert not SurgeonWithdrawal.objects.exists()


def test_withdraw_someone_elses_slot_is_refused(day, surgeon, leaving, facebook_helper):
    day_surgeon, *_ = leaving
    _other, near, _late = facebook_helper

    with pytest.raises(errors.NotAllowed):
        surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon, slot_id=near.pk)

    near.refresh_from_db()
    assert near.is_offered is True


@pytest.mark.parametrize("status", [SurgeryDay.Status.FINISHED, SurgeryDay.Status.CANCELLED])
def test_withdraw_from_finished_or_cancelled_day_is_refused(day, surgeon, leaving, status):
    day_surgeon, *_ = leaving
    SurgeryDay.objects.filter(pk=day.pk).update(status=status)

    with pytest.raises(errors.DayError, match="over or cancelled"):
        surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon)

    assert not SurgeonWithdrawal.objects.exists()


def test_withdraw_from_day_that_has_ended_is_refused(day, surgeon, leaving, time_machine):
    day_surgeon, *_ = leaving
    time_machine.move_to(day.ends_at + timedelta(minutes=1))

    with pytest.raises(errors.DayError):
        surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon)


def test_withdraw_learner_is_never_moved_to_a_surgeon_without_their_topics(day, surgeon, leaving, topics):
    day_surgeon, _first, second, _ann, bo = leaving
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=second.starts_at)  # no topics at all

    surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon, slot_id=second.pk)

    assert not Booking.objects.filter(learner=bo, status=Booking.Status.ACTIVE).exists()


def test_withdraw_learner_blocked_since_booking_is_told_only_that_it_is_off(day, surgeon, leaving, organiser, send_due):
    """The waiting list refuses someone blocked since they booked, so the message
    must not say they are on it (it used to), nor say why they were not moved."""
    day_surgeon, _first, second, _ann, bo = leaving
    person_block(organisation=day.organisation, person=bo, actor=organiser)
    before = timezone.now()
    mail.outbox.clear()

    withdrawal = surgeon_withdraw(day_surgeon_id=day_surgeon.pk, by=surgeon, slot_id=second.pk)
    send_due()

    assert not WaitingListEntry.objects.filter(person=bo).exists()
    assert _told(bo, before) == [(SURGEON_WITHDREW, "no-place")]
    assert (withdrawal.rebooked, withdrawal.waiting, withdrawal.not_placed) == (0, 0, 1)
    (to_bo,) = mail_to(bo)
    assert to_bo.subject == "Surgery Day: Your session is off: Spring surgery"
    assert "we could not move you to another one" in to_bo.body
    assert "waiting list" not in to_bo.body
    assert "block" not in to_bo.body.lower()
