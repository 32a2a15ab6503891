from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from people.models import OrganisationBlock
from surgeries import errors
from surgeries.models import Booking, Commitment, SurgeryDay
from surgeries.services import booking as booking_service
from surgeries.services import booking_cancel, booking_create, booking_reschedule
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    TopicFactory,
    UserFactory,
    booked_slot,
    past_day,
    past_session,
)

pytestmark = pytest.mark.django_db


def test_booking_create_books_slot_and_makes_both_people_busy(learner):
    slot = SlotFactory()

    booking = booking_create(slot_id=slot.pk, learner=learner, note="Help with my group's page")

    assert booking.status == Booking.Status.ACTIVE
    assert booking.surgeon_id == slot.surgeon_id
    roles = set(Commitment.objects.filter(booking=booking, is_active=True).values_list("person_id", "role"))
    assert roles == {(learner.pk, "learner"), (slot.surgeon_id, "surgeon")}


def test_booking_create_keeps_only_the_organisations_topics(learner):
    slot = SlotFactory()
    ours = TopicFactory(organisation=slot.day.organisation, name="Privacy settings")
    theirs = TopicFactory(name="Someone else's topic")

    booking = booking_create(slot_id=slot.pk, learner=learner, topic_ids=[ours.pk, theirs.pk])

    assert list(booking.topics.all()) == [ours]


def test_booking_create_refuses_a_taken_slot():
    booking = booked_slot()

    with pytest.raises(errors.SlotTaken) as caught:
        booking_create(slot_id=booking.slot_id, learner=UserFactory())

    assert caught.value.message == "Sorry, this slot has just been taken. Please choose another time."


def test_booking_create_refuses_booking_with_oneself():
    slot = SlotFactory()

    with pytest.raises(errors.BookingWithOneself):
        booking_create(slot_id=slot.pk, learner=slot.surgeon)


def test_booking_create_refuses_overlapping_booking_for_learner(learner):
    first = SlotFactory()
    overlapping = SlotFactory(
        day_surgeon=DaySurgeonFactory(day=first.day), starts_at=first.starts_at + timedelta(minutes=15)
    )
    booking_create(slot_id=first.pk, learner=learner)

    with pytest.raises(errors.PersonBusy):
        booking_create(slot_id=overlapping.pk, learner=learner)


def test_booking_create_refuses_surgeon_who_is_learning_at_that_time(learner):
    their_slot = SlotFactory()
    surgeon = their_slot.surgeon
    other_slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=their_slot.day), starts_at=their_slot.starts_at)
    booking_create(slot_id=other_slot.pk, learner=surgeon)

    with pytest.raises(errors.SurgeonBusy):
        booking_create(slot_id=their_slot.pk, learner=learner)


def test_booking_create_allows_back_to_back_sessions(learner):
    first = SlotFactory()
    second = SlotFactory(day_surgeon=first.day_surgeon, starts_at=first.ends_at)

    booking_create(slot_id=first.pk, learner=learner)
    booking_create(slot_id=second.pk, learner=UserFactory())
    booking = booking_create(
        slot_id=SlotFactory(day_surgeon=DaySurgeonFactory(day=first.day), starts_at=first.ends_at).pk,
        learner=learner,
    )

    assert booking.is_active


@pytest.mark.parametrize("status", [SurgeryDay.Status.DRAFT, SurgeryDay.Status.CANCELLED, SurgeryDay.Status.FINISHED])
def test_booking_create_refuses_days_that_are_not_published(learner, status):
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=SurgeryDayFactory(status=status)))

    with pytest.raises(errors.BookingClosed):
        booking_create(slot_id=slot.pk, learner=learner)


def test_booking_create_refuses_before_booking_opens(learner):
    day = SurgeryDayFactory(booking_opens_at=timezone.now() + timedelta(days=1))
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day))

    with pytest.raises(errors.BookingClosed):
        booking_create(slot_id=slot.pk, learner=learner)


def test_booking_create_refuses_after_booking_closes(learner):
    day = SurgeryDayFactory(booking_closes_at=timezone.now() - timedelta(minutes=1))
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day))

    with pytest.raises(errors.BookingClosed):
        booking_create(slot_id=slot.pk, learner=learner)


def test_booking_create_at_desk_ignores_closed_booking_window(learner, organiser):
    day = SurgeryDayFactory(booking_closes_at=timezone.now() - timedelta(minutes=1))
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day))

    booking = booking_create(slot_id=slot.pk, learner=learner, booked_by=organiser, at_desk=True, is_walk_in=True)

    assert booking.is_walk_in


def test_booking_create_refuses_blocked_person(learner):
    slot = SlotFactory()
    OrganisationBlock.objects.create(organisation=slot.day.organisation, person=learner)

    with pytest.raises(errors.PersonBlocked):
        booking_create(slot_id=slot.pk, learner=learner)


def test_booking_create_refuses_when_surgeon_has_no_sessions_left(learner):
    first = SlotFactory(day_surgeon=DaySurgeonFactory(max_sessions=1))
    second = SlotFactory(day_surgeon=first.day_surgeon, starts_at=first.ends_at)
    booked_slot(slot=first)

    with pytest.raises(errors.SurgeonFull):
        booking_create(slot_id=second.pk, learner=learner)


def test_database_refuses_second_active_booking_for_a_slot_written_directly():
    booking = booked_slot()

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(day=booking.day, slot=booking.slot, learner=UserFactory(), surgeon=booking.surgeon)


def test_database_refuses_booking_with_oneself_written_directly():
    slot = SlotFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(day=slot.day, slot=slot, learner=slot.surgeon, surgeon=slot.surgeon)


@pytest.mark.postgres
def test_database_refuses_overlapping_commitments_written_directly(learner):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints need PostgreSQL")
    booking = booked_slot(learner=learner)

    with pytest.raises(IntegrityError, match="commitment_no_overlap_per_person"), transaction.atomic():
        Commitment.objects.create(
            person=learner,
            day=booking.day,
            starts_at=booking.slot.starts_at + timedelta(minutes=10),
            ends_at=booking.slot.ends_at + timedelta(minutes=10),
            role=Commitment.Role.LEARNER,
        )


def test_database_allows_a_new_booking_after_cancellation():
    booking = booked_slot()
    booking_cancel(booking_id=booking.pk, by=booking.learner)

    again = booking_create(slot_id=booking.slot_id, learner=booking.learner)

    assert again.is_active
    assert Booking.objects.filter(slot=booking.slot).count() == 2


def test_booking_cancel_frees_the_slot_and_both_people():
    booking = booked_slot()

    booking_cancel(booking_id=booking.pk, by=booking.learner)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not Commitment.objects.filter(booking=booking, is_active=True).exists()


def test_booking_cancel_refused_after_cut_off():
    day = SurgeryDayFactory(starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=6))
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)))

    with pytest.raises(errors.TooLateToChange):
        booking_cancel(booking_id=booking.pk, by=booking.learner)

    booking.refresh_from_db()
    assert booking.is_active


def test_booking_cancel_refuses_someone_elses_booking(stranger):
    booking = booked_slot()

    with pytest.raises(errors.NotAllowed):
        booking_cancel(booking_id=booking.pk, by=stranger)


def test_booking_cancel_by_organiser_ignores_cut_off(organisation, organiser):
    day = SurgeryDayFactory(
        organisation=organisation,
        starts_at=timezone.now() + timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=6),
    )
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)))

    booking_cancel(booking_id=booking.pk, by=organiser, as_organiser=True)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_organisers_cannot_cancel_or_move_sessions_of_a_finished_day(organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation)
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)))
    other = SlotFactory(day_surgeon=booking.slot.day_surgeon, starts_at=booking.slot.ends_at)
    SurgeryDay.objects.filter(pk=day.pk).update(status=SurgeryDay.Status.FINISHED)
    mail.outbox.clear()

    with pytest.raises(errors.BookingError, match="This day has finished"):
        booking_cancel(booking_id=booking.pk, by=organiser, as_organiser=True)
    with pytest.raises(errors.BookingError, match="This day has finished"):
        booking_reschedule(booking_id=booking.pk, new_slot_id=other.pk, by=organiser, as_organiser=True)

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE
    assert mail.outbox == []


def test_booking_reschedule_moves_booking_and_keeps_topics_and_note():
    booking = booked_slot(note="My podcast")
    later = SlotFactory(day_surgeon=DaySurgeonFactory(day=booking.day), starts_at=booking.slot.ends_at)

    moved = booking_reschedule(booking_id=booking.pk, new_slot_id=later.pk, by=booking.learner)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert (moved.slot_id, moved.note, moved.is_active) == (later.pk, "My podcast", True)


def test_booking_reschedule_to_overlapping_slot_is_allowed_for_the_same_person():
    booking = booked_slot()
    overlapping = SlotFactory(
        day_surgeon=DaySurgeonFactory(day=booking.day), starts_at=booking.slot.starts_at + timedelta(minutes=15)
    )

    moved = booking_reschedule(booking_id=booking.pk, new_slot_id=overlapping.pk, by=booking.learner)

    assert moved.slot_id == overlapping.pk


def test_booking_reschedule_to_taken_slot_keeps_the_old_booking():
    booking = booked_slot()
    taken = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=booking.day)))

    with pytest.raises(errors.SlotTaken):
        booking_reschedule(booking_id=booking.pk, new_slot_id=taken.slot_id, by=booking.learner)

    booking.refresh_from_db()
    assert booking.is_active
    assert Commitment.objects.filter(booking=booking, is_active=True).count() == 2


def test_booking_create_turns_a_deadlock_into_a_try_again_message(monkeypatch, learner):
    class DeadlockCause(Exception):
        pgcode = "40P01"

    def deadlocked(**kwargs):
        raise OperationalError("deadlock detected") from DeadlockCause()

    monkeypatch.setattr(booking_service, "book_locked_slot", deadlocked)
    slot = SlotFactory()

    with pytest.raises(errors.BookingError, match="Lots of people are booking right now"):
        booking_create(slot_id=slot.pk, learner=learner)


def test_booking_create_lets_other_database_errors_through(monkeypatch, learner):
    def broken(**kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(booking_service, "book_locked_slot", broken)

    with pytest.raises(OperationalError):
        booking_create(slot_id=SlotFactory().pk, learner=learner)


def test_organisers_cannot_move_sessions_of_a_day_that_has_ended_but_is_not_yet_marked_finished(
    organisation, organiser
):

    day = past_day(organisation, status=SurgeryDay.Status.PUBLISHED)
    booking = past_session(day)

    with pytest.raises(errors.BookingError, match="This day has finished"):
        booking_cancel(booking_id=booking.pk, by=organiser, as_organiser=True)
