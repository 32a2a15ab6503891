"""Booking messages: scheduled with the booking, sent once, moved and cancelled with it."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from outbox.models import Notification
from outbox.services import notification_preference_set
from people.enums import AccessNeed, Visibility
from people.models import AuditEntry
from surgeries.models import AvailabilityWindow, Booking, WaitingListEntry
from surgeries.notifications import (
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    DAY_CANCELLED,
    DAY_SHEET,
    FEEDBACK_REQUEST,
    SESSION_REMINDER,
    SURGEON_REMINDER,
)
from surgeries.services import (
    DayDetails,
    booking_cancel,
    booking_create,
    booking_reschedule,
    day_cancel,
    day_update,
    waiting_list_join,
    waiting_list_leave,
)
from tests.factories import (
    DaySurgeonFactory,
    ProfileFactory,
    SlotFactory,
    SurgeryDayFactory,
    TopicFactory,
    UserFactory,
    local_datetime,
)
from tests.mail import assert_each_sent_when_due, ics_fields, mail_to

pytestmark = pytest.mark.django_db

State = Notification.State
WINTER_DAY = date(2031, 1, 14)  # a Tuesday, GMT


@pytest.fixture
def winter_slot(organisation, surgeon):
    day = SurgeryDayFactory(
        organisation=organisation,
        title="Winter surgery",
        starts_at=local_datetime(WINTER_DAY, 10),
        ends_at=local_datetime(WINTER_DAY, 15),
    )
    return SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))


def _book(slot, learner, capture, **fields) -> Booking:
    with capture(execute=True):
        return booking_create(slot_id=slot.pk, learner=learner, **fields)


def _rows(kind: str, **filters) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind, **filters).values_list("slot", "state"))


# --- scheduling follows the transaction ----------------------------------------------


def test_booking_rolled_back_schedules_and_sends_nothing(slot, learner, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        booking_create(slot_id=slot.pk, learner=learner)
        raise RuntimeError("the request failed after booking")

    assert (Notification.objects.count(), callbacks, mail.outbox) == (0, [], [])


def test_booking_committed_queues_once_and_confirms_once(slot, learner, surgeon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking_create(slot_id=slot.pk, learner=learner)
    # The day's new version (people/cache_versions.py) is given on commit too.
    nudges = [callback for callback in callbacks if callback.__module__ != "people.cache_versions"]
    assert len(nudges) == 1

    with django_capture_on_commit_callbacks(execute=True):
        nudges[0]()
        nudges[0]()  # a duplicated nudge sends nothing more

    assert [m.subject.split(":")[1] for m in mail_to(learner)] == [" Booked"]
    assert [m.subject.split(":")[1] for m in mail_to(surgeon)] == [" New session"]
    assert _rows(BOOKING_CONFIRMED) == [("", State.SENT)]


def test_confirmation_carries_calendar_file_and_local_time(winter_slot, learner, django_capture_on_commit_callbacks):
    booking = _book(winter_slot, learner, django_capture_on_commit_callbacks)

    (message,) = mail_to(learner)
    ics = ics_fields(message, filename="surgery-session.ics")
    assert message.subject == "Surgery Day: Booked: Tuesday 14 January 2031, 10:00 GMT"
    assert "When: Tuesday 14 January 2031, 10:00 GMT to 10:30 GMT" in message.body
    assert "10:00 GMT" in message.alternatives[0][0]
    assert ics["DTSTART"] == "20310114T100000Z"
    assert ics["DTEND"] == "20310114T103000Z"
    assert ics["UID"] == f"booking-{booking.pk}@surgeryday"
    assert ics["SUMMARY"] == "Social media surgery with your surgeon Sam Surgeon"
    assert ics["LOCATION"].startswith(f"{winter_slot.day.venue.name}\\, 1 High Street")


def test_surgeon_notice_says_topics_and_note(slot, learner, surgeon, organisation, django_capture_on_commit_callbacks):
    topic = TopicFactory(organisation=organisation, name="Privacy settings")

    _book(slot, learner, django_capture_on_commit_callbacks, topic_ids=[topic.pk], note="I am new to Facebook")

    (message,) = mail_to(surgeon)
    assert "Lee Learner has booked a session with you" in message.body
    assert "Would like help with: Privacy settings" in message.body
    assert "Their note for you: I am new to Facebook" in message.body
    assert message.attachments == []


# --- reminders across the clock changes -----------------------------------------------


@pytest.mark.parametrize(
    ("day_date", "due_utc", "says"),
    [
        # Clocks go forward at 01:00 UTC on 29 March 2026: the session is 10:00 BST = 09:00 UTC.
        (date(2026, 3, 29), [datetime(2026, 3, 28, 9, tzinfo=UTC), datetime(2026, 3, 29, 7, tzinfo=UTC)], "BST"),
        # Clocks go back at 01:00 UTC on 25 October 2026: the session is 10:00 GMT = 10:00 UTC.
        (date(2026, 10, 25), [datetime(2026, 10, 24, 10, tzinfo=UTC), datetime(2026, 10, 25, 8, tzinfo=UTC)], "GMT"),
    ],
)
def test_reminders_across_clock_change_land_on_time_and_say_local_time(
    organisation, surgeon, learner, send_due, day_date, due_utc, says
):
    with time_machine.travel(datetime.combine(day_date, datetime.min.time(), UTC) - timedelta(days=10), tick=False):
        day = SurgeryDayFactory(
            organisation=organisation, starts_at=local_datetime(day_date, 10), ends_at=local_datetime(day_date, 15)
        )
        slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))
        with transaction.atomic():
            booking_create(slot_id=slot.pk, learner=learner)
        send_due()
    mail.outbox.clear()

    assert_each_sent_when_due(send_due, learner, due_utc)

    reminders = mail_to(learner)
    expected = f"Surgery Day: Reminder: your session, Sunday {day_date.day} {day_date:%B %Y}, 10:00 {says}"
    assert [m.subject for m in reminders] == [expected, expected]
    assert f"10:00 {says} to 10:30 {says}" in reminders[0].body
    assert sorted(Notification.objects.filter(kind=SESSION_REMINDER).values_list("due_at", flat=True)) == due_utc
    # The surgeon's reminders before their first session, and the day sheet the evening before.
    surgeon_subjects = sorted(m.subject.split(",")[0] for m in mail_to(surgeon))
    assert surgeon_subjects == [
        "Surgery Day: Reminder: your first session",
        "Surgery Day: Reminder: your first session",
        f"Surgery Day: Your day sheet for {day.title}",
    ]
    assert f"First session: Sunday {day_date.day} {day_date:%B %Y}, 10:00 {says}" in mail_to(surgeon)[0].body


# --- cancelling, moving ---------------------------------------------------------------


def test_learner_cancels_reminders_stop_and_surgeon_is_told(
    slot, learner, surgeon, send_due, django_capture_on_commit_callbacks
):
    booking = _book(slot, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=booking.pk, by=learner)
    send_due(slot.starts_at - timedelta(hours=1))

    assert _rows(SESSION_REMINDER) == [("120m-before", State.CANCELLED), ("1440m-before", State.CANCELLED)]
    assert _rows(SURGEON_REMINDER) == [("120m-before", State.CANCELLED), ("1440m-before", State.CANCELLED)]
    assert mail_to(learner) == []
    (notice,) = mail_to(surgeon)
    assert "Lee Learner has cancelled their session with you" in notice.body
    assert _rows(BOOKING_CANCELLED) == [("by-learner", State.SENT)]


def test_organiser_cancels_learner_and_surgeon_are_told(
    slot, learner, surgeon, organiser, django_capture_on_commit_callbacks
):
    booking = _book(slot, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=booking.pk, by=organiser, as_organiser=True)

    (to_learner,) = mail_to(learner)
    assert "has been cancelled by the organisers" in to_learner.body
    assert len(mail_to(surgeon)) == 1
    assert mail_to(organiser) == []


def test_reschedule_moves_reminders_and_confirms_new_time(
    day, slot, learner, surgeon, django_capture_on_commit_callbacks
):
    later = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at + timedelta(hours=1))
    old = _book(slot, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        new = booking_reschedule(booking_id=old.pk, new_slot_id=later.pk, by=learner)

    reminders = Notification.objects.filter(kind=SESSION_REMINDER, state=State.PENDING)
    assert sorted(reminders.values_list("subject_id", "due_at")) == [
        (new.pk, later.starts_at - timedelta(hours=24)),
        (new.pk, later.starts_at - timedelta(hours=2)),
    ]
    assert _rows(SESSION_REMINDER, subject_id=old.pk) == [("120m-before", "cancelled"), ("1440m-before", "cancelled")]
    surgeon_due = Notification.objects.filter(kind=SURGEON_REMINDER, state=State.PENDING).values_list("due_at")
    assert sorted(due for (due,) in surgeon_due) == [
        later.starts_at - timedelta(hours=24),
        later.starts_at - timedelta(hours=2),
    ]
    (moved,) = mail_to(learner)
    assert moved.subject.startswith("Surgery Day: Your session has moved:")
    # The same calendar event, one revision later: calendar apps move it rather than add another.
    moved_event = ics_fields(moved, filename="surgery-session.ics")
    assert (moved_event["UID"], moved_event["SEQUENCE"]) == (f"booking-{old.pk}@surgeryday", "1")
    assert "replaces the earlier time" in moved.body
    assert [m.subject.split(":")[1] for m in mail_to(surgeon)] == [" Session moved"]


def test_changing_a_days_reminder_times_moves_reminders(
    day, slot, learner, organiser, django_capture_on_commit_callbacks
):
    # The surgeon's availability covers the booked slot, so remaking slots keeps it.
    AvailabilityWindow.objects.create(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at, ends_at=slot.ends_at)
    booking = _book(slot, learner, django_capture_on_commit_callbacks)
    details = DayDetails(**{f.name: getattr(day, f.name) for f in dataclasses.fields(DayDetails) if f.name != "breaks"})

    day_update(day=day, by=organiser, details=dataclasses.replace(details, reminder_offsets_minutes=[60]))

    assert _rows(SESSION_REMINDER, subject_id=booking.pk) == [
        ("120m-before", State.CANCELLED),
        ("1440m-before", State.CANCELLED),
        ("60m-before", State.PENDING),
    ]
    assert Notification.objects.get(kind=SESSION_REMINDER, slot="60m-before").due_at == slot.starts_at - timedelta(
        hours=1
    )


def test_day_cancelled_tells_everyone_booked_once(
    day, slot, learner, surgeon, organiser, send_due, django_capture_on_commit_callbacks
):
    other_learner = UserFactory()
    idle_surgeon = DaySurgeonFactory(day=day).person
    second = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at + timedelta(hours=1))
    _book(slot, learner, django_capture_on_commit_callbacks)
    _book(second, other_learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        day_cancel(day=day, by=organiser)
    send_due()
    send_due(slot.starts_at - timedelta(minutes=30))

    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted(p.email for p in [learner, other_learner, surgeon, idle_surgeon])
    assert all(m.subject.startswith("Surgery Day: Cancelled: ") for m in mail.outbox)
    assert Notification.objects.filter(kind=DAY_CANCELLED).count() == 4
    assert not Notification.objects.filter(state=State.PENDING).exists()


def test_day_cancelled_tells_the_waiting_list_once_each_and_ends_their_places_on_it(
    day, slot, learner, surgeon, organiser, send_due, django_capture_on_commit_callbacks
):
    waiting_only = UserFactory(display_name="Wendy Waiting")
    left_already = UserFactory()
    _book(slot, learner, django_capture_on_commit_callbacks)
    # The learner also waits for a second session that day.
    for person in (learner, waiting_only, left_already):
        waiting_list_join(day=day, person=person)
    waiting_list_leave(day=day, person=left_already)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        day_cancel(day=day, by=organiser)
    send_due()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in [learner, surgeon, waiting_only])
    (message,) = mail_to(waiting_only)
    assert message.subject.startswith("Surgery Day: Cancelled: Spring surgery on ")
    assert "if you were waiting for a place that day, in a session or a workshop, you are no longer on" in message.body
    assert "Lee Learner" not in message.body
    assert len(mail_to(learner)) == 1
    assert Notification.objects.filter(kind=DAY_CANCELLED).count() == 3
    assert set(WaitingListEntry.objects.values_list("status", flat=True)) == {WaitingListEntry.Status.LEFT}


def test_reminders_off_stops_reminders_but_not_confirmation_or_cancellation(
    slot, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    notification_preference_set(person=learner, non_essential_enabled=False)
    booking = _book(slot, learner, django_capture_on_commit_callbacks)
    send_due(slot.starts_at - timedelta(hours=2))

    assert [m.subject.split(":")[1] for m in mail_to(learner)] == [" Booked"]
    assert _rows(SESSION_REMINDER) == [("120m-before", State.CANCELLED), ("1440m-before", State.CANCELLED)]

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=booking.pk, by=organiser, as_organiser=True)
    assert [m.subject.split(":")[1] for m in mail_to(learner)] == [" Booked", " Session cancelled"]


# --- waiting list, day sheet, feedback --------------------------------------------------


def test_waiting_list_place_is_announced_with_calendar_file(day, slot, learner, django_capture_on_commit_callbacks):
    first = UserFactory()
    booking = _book(slot, first, django_capture_on_commit_callbacks)
    waiting_list_join(day=day, person=learner)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking_id=booking.pk, by=first)

    (message,) = mail_to(learner)
    assert message.subject.startswith("Surgery Day: You now have a place:")
    assert "You were next on the waiting list" in message.body
    assert ics_fields(message, filename="surgery-session.ics")["DTSTART"] == slot.starts_at.strftime("%Y%m%dT%H%M%SZ")


@pytest.mark.parametrize(("visibility", "shown"), [(Visibility.PAIRED, True), (Visibility.ONLY_ME, False)])
def test_day_sheet_shows_access_needs_only_if_learner_allowed(
    winter_slot, learner, surgeon, send_due, django_capture_on_commit_callbacks, visibility, shown
):
    ProfileFactory(person=learner, access_needs=[AccessNeed.HEARING_LOOP], access_needs_visibility=visibility)
    _book(winter_slot, learner, django_capture_on_commit_callbacks, note="Help with Instagram")
    mail.outbox.clear()

    send_due(datetime(2031, 1, 13, 18, tzinfo=UTC))  # 18:00 GMT the evening before

    (sheet,) = [m for m in mail_to(surgeon) if "day sheet" in m.subject]
    assert sheet.subject == "Surgery Day: Your day sheet for Winter surgery, Tuesday 14 January 2031"
    assert "10:00 GMT to 10:30 GMT: Lee Learner" in sheet.body
    assert "Their note: Help with Instagram" in sheet.body
    assert ("Hearing loop" in sheet.body, "Hearing loop" in sheet.alternatives[0][0]) == (shown, shown)
    assert _rows(DAY_SHEET) == [("evening-before", State.SENT)]
    viewed = AuditEntry.objects.filter(actor=surgeon, subject=learner, action=AuditEntry.Action.VIEWED)
    assert [entry.fields for entry in viewed] == ([["access_needs"]] * 2 if shown else [])  # notice and sheet


@pytest.mark.parametrize(("no_show", "sent"), [(False, 1), (True, 0)])
def test_feedback_request_goes_next_morning_to_those_who_came(
    winter_slot, learner, organiser, send_due, django_capture_on_commit_callbacks, no_show, sent
):
    booking = _book(winter_slot, learner, django_capture_on_commit_callbacks)
    Booking.objects.filter(pk=booking.pk).update(is_no_show=no_show)
    mail.outbox.clear()

    send_due(datetime(2031, 1, 15, 10, tzinfo=UTC))  # 10:00 GMT the day after

    feedback = [m for m in mail_to(learner) if m.subject.startswith("Surgery Day: How was")]
    assert len(feedback) == sent
    assert _rows(FEEDBACK_REQUEST) == [("day-after", State.SENT if sent else State.CANCELLED)]
    if sent:
        assert f"/after/sessions/{booking.pk}/feedback/" in feedback[0].body


@pytest.mark.parametrize(("surgeon_online", "where"), [(True, "online, by video call"), (False, "at ")])
def test_on_a_hybrid_day_the_surgeons_messages_say_where_they_meet(
    winter_slot, learner, surgeon, send_due, django_capture_on_commit_callbacks, surgeon_online, where
):
    """A surgeon marked online was sent the venue's address in their reminder and day sheet."""
    day = winter_slot.day
    type(day).objects.filter(pk=day.pk).update(mode="hybrid")
    type(winter_slot.day_surgeon).objects.filter(pk=winter_slot.day_surgeon_id).update(is_online=surgeon_online)
    _book(winter_slot, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    send_due(datetime(2031, 1, 13, 18, tzinfo=UTC))  # the day sheet, 18:00 the evening before
    send_due(datetime(2031, 1, 14, 8, tzinfo=UTC))  # the reminder, two hours before

    for subject in ("day sheet", "reminder"):
        message = next(m for m in mail_to(surgeon) if subject in m.subject.lower())
        assert (where in message.body, day.venue.name in message.body) == (True, not surgeon_online)
