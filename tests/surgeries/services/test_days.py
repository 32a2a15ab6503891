"""Organisers changing and cancelling days; ended days become finished, once, by the hourly job, and stay so."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from config.celery import app as celery_app
from config.celery import schedule_periodic_tasks
from outbox.models import Notification
from surgeries import errors, signals
from surgeries.models import Booking, SurgeryDay, WaitingListEntry
from surgeries.services import (
    DayDetails,
    availability_set,
    day_cancel,
    day_update,
    days_finish_ended,
    waiting_list_join,
)
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    past_day,
    past_session,
    status_of,
)
from workshops.models import Workshop, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db

Status = SurgeryDay.Status


def test_days_finish_ended_finishes_only_published_days_that_have_ended(organisation):
    ended = past_day(organisation, status=Status.PUBLISHED)
    running_now = SurgeryDayFactory(
        organisation=organisation,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    upcoming = SurgeryDayFactory(organisation=organisation)
    never_published = past_day(organisation, status=Status.DRAFT)
    cancelled = past_day(organisation, status=Status.CANCELLED)

    finished = days_finish_ended()

    assert finished == 1
    assert [status_of(day) for day in (ended, running_now, upcoming, never_published, cancelled)] == [
        Status.FINISHED,
        Status.PUBLISHED,
        Status.PUBLISHED,
        Status.DRAFT,
        Status.CANCELLED,
    ]


def test_days_finish_ended_again_changes_nothing(organisation):
    past_day(organisation, status=Status.PUBLISHED)
    days_finish_ended()

    assert days_finish_ended() == 0
    assert list(SurgeryDay.objects.values_list("status", flat=True)) == [Status.FINISHED]


def test_days_finish_ended_waits_for_the_end_time(organisation):
    day = SurgeryDayFactory(organisation=organisation)

    assert days_finish_ended(now=day.ends_at - timedelta(seconds=1)) == 0
    assert days_finish_ended(now=day.ends_at) == 1
    assert status_of(day) == Status.FINISHED


def test_finishing_a_day_keeps_its_sessions_and_workshop_places_and_sends_nothing(organisation, learner, surgeon):
    day = past_day(organisation, status=Status.PUBLISHED)
    booking = past_session(day, surgeon=surgeon, learner=learner)
    workshop = WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(hours=2))
    facilitating(workshop=workshop, person=surgeon)

    days_finish_ended()

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE
    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.ACTIVE
    assert not Notification.objects.exists()


def _waiting(day: SurgeryDay, status=WaitingListEntry.Status.WAITING) -> WaitingListEntry:
    return WaitingListEntry.objects.create(day=day, person=UserFactory(), status=status)


def _waiting_for_workshop(day: SurgeryDay) -> WorkshopWaitingEntry:
    workshop = WorkshopFactory(day=day)
    return WorkshopWaitingEntry.objects.create(workshop=workshop, person=UserFactory())


def _entry_statuses(*entries) -> list[str]:
    return [type(entry).objects.get(pk=entry.pk).status for entry in entries]


def test_finishing_a_day_ends_its_waiting_lists_and_no_others(organisation):
    ended = past_day(organisation, status=Status.PUBLISHED)
    upcoming = SurgeryDayFactory(organisation=organisation)
    waiting, booked = _waiting(ended), _waiting(ended, status=WaitingListEntry.Status.BOOKED)
    workshop_waiting = _waiting_for_workshop(ended)
    still_waiting, still_waiting_for_workshop = _waiting(upcoming), _waiting_for_workshop(upcoming)

    days_finish_ended()

    assert _entry_statuses(waiting, booked, workshop_waiting, still_waiting, still_waiting_for_workshop) == [
        "left",
        "booked",
        "left",
        "waiting",
        "waiting",
    ]
    assert not Notification.objects.exists()


def test_finishing_again_ends_a_waiting_entry_that_slipped_in_and_changes_nothing_else(organisation):
    day = past_day(organisation, status=Status.PUBLISHED)
    first = _waiting(day)
    days_finish_ended()
    # A join that raced the finishing and committed just after it.
    late, late_for_workshop = _waiting(day), _waiting_for_workshop(day)

    assert days_finish_ended() == 0
    assert _entry_statuses(first, late, late_for_workshop) == ["left", "left", "left"]
    assert days_finish_ended() == 0
    assert status_of(day) == Status.FINISHED


def test_days_finished_is_sent_with_every_finished_day(organisation):
    ended = past_day(organisation, status=Status.PUBLISHED)
    SurgeryDayFactory(organisation=organisation)
    seen = []

    def listen(sender, *, days, **kwargs):
        seen.append(sorted(days.values_list("pk", flat=True)))

    signals.days_finished.connect(listen, sender=SurgeryDay)
    try:
        days_finish_ended()
    finally:
        signals.days_finished.disconnect(listen, sender=SurgeryDay)

    assert seen == [[ended.pk]]


def test_finish_days_task_finishes_ended_days(organisation):
    day = past_day(organisation, status=Status.PUBLISHED)

    result = celery_app.tasks["surgeries.finish_days"].delay().get()

    assert (result, status_of(day)) == (1, Status.FINISHED)


def test_finish_ended_days_command_for_cron_finishes_ended_days(organisation):
    day = past_day(organisation, status=Status.PUBLISHED)
    out = io.StringIO()

    call_command("finish_ended_days", stdout=out)

    assert out.getvalue() == "Finished 1 surgery day(s).\n"
    assert status_of(day) == Status.FINISHED


def test_beat_schedule_finishes_ended_days_every_hour():
    added = []

    class Recorder:
        def add_periodic_task(self, every, sig, name, **kwargs):
            added.append((name, sig.task, every, sig.args, sig.kwargs))

    schedule_periodic_tasks(Recorder())

    assert ("finish-ended-days", "surgeries.finish_days", timedelta(hours=1), (), {}) in added


def test_embedded_scheduler_finishes_ended_days(organisation, monkeypatch):
    day = past_day(organisation, status=Status.PUBLISHED)

    def stop(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("outbox.management.commands.run_scheduler.time.sleep", stop)
    monkeypatch.setattr("outbox.management.commands.run_scheduler.close_old_connections", lambda: None)
    call_command("run_scheduler", "--interval", "1", stdout=io.StringIO())

    assert status_of(day) == Status.FINISHED


def test_day_cancel_refuses_a_finished_day_and_keeps_its_sessions(organisation, organiser, learner):
    day = past_day(organisation, status=Status.PUBLISHED)
    booking = past_session(day, learner=learner)
    days_finish_ended()

    with pytest.raises(errors.DayError) as refused:
        day_cancel(day=day, by=organiser)

    assert refused.value.message == "This day has finished, so it cannot be cancelled."
    assert status_of(day) == Status.FINISHED
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE
    assert not Notification.objects.exists()


def test_a_day_that_has_ended_cannot_be_cancelled_before_the_job_marks_it_finished(organisation, organiser):
    day = past_day(organisation, status=SurgeryDay.Status.PUBLISHED)

    with pytest.raises(errors.DayError, match="This day has finished"):
        day_cancel(day=day, by=organiser)
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.PUBLISHED


@pytest.mark.django_db
def test_day_cancel_cancels_bookings_and_clears_waiting_list(organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation)
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)))
    waiting_list_join(day=day, person=UserFactory())

    count = day_cancel(day=day, by=organiser)

    booking.refresh_from_db()
    assert (count, booking.status) == (1, Booking.Status.CANCELLED)
    assert not WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING).exists()
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.CANCELLED


@pytest.mark.django_db
def test_day_update_with_longer_sessions_remakes_slots_but_never_drops_a_booking(organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation)
    day_surgeon = DaySurgeonFactory(day=day)
    start = day.starts_at
    availability_set(
        day_surgeon=day_surgeon, by=organiser, windows=[(start, start + timedelta(hours=1))], max_sessions=4
    )
    details = DayDetails(
        title=day.title, venue=day.venue, starts_at=day.starts_at, ends_at=day.ends_at, slot_minutes=60
    )

    day_update(day=day, by=organiser, details=details)
    offered = list(day.slots.filter(is_offered=True).values_list("ends_at", flat=True))
    booked_slot(slot=day.slots.get(is_offered=True))
    details.slot_minutes = 20

    assert offered == [start + timedelta(hours=1)]
    with pytest.raises(errors.DayError):
        day_update(day=day, by=organiser, details=details)
    assert SurgeryDay.objects.get(pk=day.pk).slot_minutes == 60


@pytest.mark.django_db
def test_day_update_refuses_a_mode_that_moves_booked_sessions_online_but_not_one_that_leaves_them(
    organisation, organiser
):
    """An in-person session booked, then the day made online: the learner would go to
    the venue, told nothing. Hybrid leaves surgeons in person, so it may go ahead."""
    day = SurgeryDayFactory(organisation=organisation)
    day_surgeon = DaySurgeonFactory(day=day)
    start = day.starts_at
    availability_set(
        day_surgeon=day_surgeon, by=organiser, windows=[(start, start + timedelta(hours=1))], max_sessions=2
    )
    booked_slot(slot=day.slots.filter(is_offered=True).first())
    details = DayDetails(
        title=day.title, venue=day.venue, starts_at=day.starts_at, ends_at=day.ends_at, mode=SurgeryDay.Mode.ONLINE
    )

    with pytest.raises(errors.DayError, match="1 person is booked to meet as the day is now"):
        day_update(day=day, by=organiser, details=details)
    assert SurgeryDay.objects.get(pk=day.pk).mode == SurgeryDay.Mode.IN_PERSON
    details.mode = SurgeryDay.Mode.HYBRID
    day_update(day=day, by=organiser, details=details)
    assert SurgeryDay.objects.get(pk=day.pk).mode == SurgeryDay.Mode.HYBRID
