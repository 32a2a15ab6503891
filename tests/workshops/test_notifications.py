"""Workshop messages: scheduled with the place, sent once, stopped and moved with it."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from outbox.models import Notification
from outbox.services import notification_preference_set
from surgeries.models import ReminderWording, WaitingListEntry
from surgeries.notifications import DAY_CANCELLED
from surgeries.services import DayDetails, day_cancel, day_update, reminder_wording_set
from surgeries.services import waiting_list_join as day_waiting_list_join
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    local_datetime,
)
from tests.mail import assert_each_sent_when_due, ics_fields, mail_to
from workshops.models import WorkshopWaitingEntry
from workshops.notifications import (
    PLACE_CANCELLED,
    REGISTRATION_CANCELLED,
    REGISTRATION_CONFIRMED,
    REMINDER,
    WAITING_LIST_CANCELLED,
    WAITING_LIST_PLACE,
    WORKSHOP_CANCELLED,
    WORKSHOP_MOVED,
    WORKSHOP_MOVED_FACILITATOR,
)
from workshops.services import (
    WorkshopDetails,
    registration_cancel,
    registration_create,
    waiting_list_join,
    waiting_list_leave,
    workshop_cancel,
    workshop_update,
)

pytestmark = pytest.mark.django_db

State = Notification.State
WINTER_DAY = date(2031, 1, 14)  # a Tuesday, GMT


@pytest.fixture
def workshop(organisation):
    day = SurgeryDayFactory(
        organisation=organisation,
        title="Winter surgery",
        starts_at=local_datetime(WINTER_DAY, 10),
        ends_at=local_datetime(WINTER_DAY, 15),
    )
    return WorkshopFactory(day=day, title="Staying safe online", room="Room 2", capacity=2)


def _register(workshop, person, capture):
    with capture(execute=True):
        return registration_create(workshop_id=workshop.pk, person=person)


def test_registration_rolled_back_schedules_and_sends_nothing(workshop, learner, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        registration_create(workshop_id=workshop.pk, person=learner)
        raise RuntimeError("the request failed after registering")

    assert (Notification.objects.count(), callbacks, mail.outbox) == (0, [], [])


def test_confirmation_carries_calendar_file_and_local_time(workshop, learner, django_capture_on_commit_callbacks):
    registration = _register(workshop, learner, django_capture_on_commit_callbacks)

    (message,) = mail_to(learner)
    ics = ics_fields(message, filename="workshop.ics")
    assert message.subject == "Surgery Day: Workshop place: Staying safe online, Tuesday 14 January 2031, 10:00 GMT"
    assert "When: Tuesday 14 January 2031, 10:00 GMT to 11:00 GMT" in message.body
    assert "10:00 GMT" in message.alternatives[0][0]
    assert ics["DTSTART"] == "20310114T100000Z"
    assert ics["DTEND"] == "20310114T110000Z"
    assert ics["UID"] == f"workshop-registration-{registration.pk}@surgeryday"
    assert ics["SUMMARY"] == "Workshop: Staying safe online (10:00 GMT)"
    assert ics["LOCATION"].startswith(f"Room 2\\, {workshop.day.venue.name}")
    assert sorted(Notification.objects.filter(kind=REMINDER).values_list("slot", "state")) == [
        ("120m-before", State.PENDING),
        ("1440m-before", State.PENDING),
    ]


@pytest.mark.parametrize(
    ("day_date", "due_utc", "says"),
    [
        # Clocks go forward at 01:00 UTC on 29 March 2026: the workshop is 10:00 BST = 09:00 UTC.
        (date(2026, 3, 29), [datetime(2026, 3, 28, 9, tzinfo=UTC), datetime(2026, 3, 29, 7, tzinfo=UTC)], "BST"),
        # Clocks go back at 01:00 UTC on 25 October 2026: the workshop is 10:00 GMT = 10:00 UTC.
        (date(2026, 10, 25), [datetime(2026, 10, 24, 10, tzinfo=UTC), datetime(2026, 10, 25, 8, tzinfo=UTC)], "GMT"),
    ],
)
def test_reminders_across_clock_change_land_on_time_and_say_local_time(
    organisation, learner, send_due, day_date, due_utc, says
):
    with time_machine.travel(datetime.combine(day_date, datetime.min.time(), UTC) - timedelta(days=10), tick=False):
        day = SurgeryDayFactory(
            organisation=organisation, starts_at=local_datetime(day_date, 10), ends_at=local_datetime(day_date, 15)
        )
        workshop = WorkshopFactory(day=day, title="Video calls")
        with transaction.atomic():
            registration_create(workshop_id=workshop.pk, person=learner)
        send_due()
    mail.outbox.clear()

    assert_each_sent_when_due(send_due, learner, due_utc)

    reminders = mail_to(learner)
    expected = f"Surgery Day: Reminder: Video calls, Sunday {day_date.day} {day_date:%B %Y}, 10:00 {says}"
    assert [m.subject for m in reminders] == [expected, expected]
    assert f"10:00 {says} to 11:00 {says}" in reminders[0].body
    assert sorted(Notification.objects.filter(kind=REMINDER).values_list("due_at", flat=True)) == due_utc


def test_participant_cancels_reminders_stop_and_facilitators_are_told(
    workshop, learner, send_due, django_capture_on_commit_callbacks
):
    facilitators = UserFactory.create_batch(2)
    for person in facilitators:
        facilitating(workshop=workshop, person=person)
    registration = _register(workshop, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration_id=registration.pk, by=learner)
    send_due(workshop.starts_at - timedelta(minutes=30))

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in facilitators)
    assert all(m.subject.startswith("Surgery Day: A place was given up: Staying safe online") for m in mail.outbox)
    assert all(learner.display_name not in m.body for m in mail.outbox)
    assert set(Notification.objects.filter(kind=REMINDER).values_list("state", flat=True)) == {State.CANCELLED}
    assert Notification.objects.filter(kind=REGISTRATION_CANCELLED, state=State.SENT).count() == 2


def test_organiser_cancels_workshop_participants_are_told_and_reminders_stop(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    other = UserFactory()
    _register(workshop, learner, django_capture_on_commit_callbacks)
    _register(workshop, other, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workshop_cancel(workshop_id=workshop.pk, by=organiser)
    send_due(workshop.starts_at - timedelta(minutes=30))

    assert sorted(m.to[0] for m in mail.outbox) == sorted([learner.email, other.email])
    assert all(m.subject.startswith("Surgery Day: Cancelled: Staying safe online") for m in mail.outbox)
    assert "10:00 GMT" in mail.outbox[0].body
    assert Notification.objects.filter(kind=WORKSHOP_CANCELLED, state=State.SENT).count() == 2
    assert set(Notification.objects.filter(kind=REMINDER).values_list("state", flat=True)) == {State.CANCELLED}
    assert not Notification.objects.filter(kind=PLACE_CANCELLED).exists()


def test_organiser_cancels_workshop_facilitators_are_told_without_anyones_name(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    facilitator = UserFactory(display_name="Fran Facilitator")
    facilitating(workshop=workshop, person=facilitator)
    other = UserFactory(display_name="Pat Participant")
    _register(workshop, learner, django_capture_on_commit_callbacks)
    _register(workshop, other, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workshop_cancel(workshop_id=workshop.pk, by=organiser)
    send_due()

    (message,) = mail_to(facilitator)
    html = message.alternatives[0][0]
    assert message.subject == "Surgery Day: Cancelled: Staying safe online, Tuesday 14 January 2031, 10:00 GMT"
    assert 'The organisers have cancelled the workshop you were running, "Staying safe online"' in message.body
    assert "Everyone who had a place has been told" in message.body
    assert "10:00 GMT to 11:00 GMT" in message.body
    for name in ("Lee Learner", "Pat Participant"):
        assert name not in message.body
        assert name not in html
    assert all("you were running" not in m.body for m in mail_to(learner) + mail_to(other))
    assert mail_to(organiser) == []


def test_organiser_cancels_a_place_the_participant_is_told_and_nobody_else(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    facilitator = UserFactory(display_name="Fran Facilitator")
    facilitating(workshop=workshop, person=facilitator)
    other = UserFactory(display_name="Pat Participant")
    registration = _register(workshop, learner, django_capture_on_commit_callbacks)
    _register(workshop, other, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration_id=registration.pk, by=organiser, as_organiser=True)
    send_due()

    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert message.subject == (
        "Surgery Day: Your place was cancelled: Staying safe online, Tuesday 14 January 2031, 10:00 GMT"
    )
    assert 'The organisers of Winter surgery have cancelled your place in the workshop "Staying safe online"' in (
        message.body
    )
    assert "Tuesday 14 January 2031, 10:00 GMT to 11:00 GMT, Room 2" in message.body
    assert "/bookings/" in message.body
    assert "Pat Participant" not in message.body + message.alternatives[0][0]
    assert "Fran Facilitator" not in message.body + message.alternatives[0][0]
    assert Notification.objects.filter(kind=PLACE_CANCELLED, state=State.SENT).count() == 1
    assert not Notification.objects.filter(kind=REGISTRATION_CANCELLED).exists()
    assert set(Notification.objects.filter(kind=REMINDER, recipient=learner).values_list("state", flat=True)) == {
        State.CANCELLED
    }


def test_place_cancelled_notice_still_goes_if_the_workshop_is_cancelled_before_it_is_sent(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    registration = _register(workshop, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    registration_cancel(registration_id=registration.pk, by=organiser, as_organiser=True)
    workshop_cancel(workshop_id=workshop.pk, by=organiser)
    send_due()

    # The workshop notice goes only to places active when it was cancelled, so this is their one message.
    assert [m.subject.split(":")[1].strip() for m in mail_to(learner)] == ["Your place was cancelled"]


def test_day_cancelled_tells_workshop_people_once_through_the_day_notice(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    facilitator, participant_only = UserFactory.create_batch(2)
    facilitating(workshop=workshop, person=facilitator)
    _register(workshop, learner, django_capture_on_commit_callbacks)
    _register(workshop, participant_only, django_capture_on_commit_callbacks)
    # The learner also has a one-to-one session that day, after the workshop.
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=workshop.day), starts_at=workshop.ends_at)
    with django_capture_on_commit_callbacks(execute=True):
        booked_slot(slot=slot, learner=learner)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        day_cancel(day=workshop.day, by=organiser)
    send_due()
    send_due(workshop.starts_at - timedelta(minutes=30))

    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted(p.email for p in [learner, participant_only, facilitator, slot.surgeon])
    assert all(m.subject.startswith("Surgery Day: Cancelled: Winter surgery") for m in mail.outbox)
    assert Notification.objects.filter(kind=DAY_CANCELLED).count() == 4
    assert not Notification.objects.filter(kind__in=[WORKSHOP_CANCELLED, PLACE_CANCELLED]).exists()
    assert not Notification.objects.filter(state=State.PENDING).exists()


def _full_with_waiting_list(workshop, capture, *waiting):
    for person in UserFactory.create_batch(workshop.capacity):
        _register(workshop, person, capture)
    for person in waiting:
        waiting_list_join(workshop_id=workshop.pk, person=person)


def test_organiser_cancels_workshop_its_waiting_list_is_told_and_their_entries_end(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    other, left_already = UserFactory(display_name="Wendy Waiting"), UserFactory()
    _full_with_waiting_list(workshop, django_capture_on_commit_callbacks, learner, other, left_already)
    waiting_list_leave(workshop_id=workshop.pk, person=left_already)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workshop_cancel(workshop_id=workshop.pk, by=organiser)
    send_due()

    (message,) = mail_to(learner)
    html = message.alternatives[0][0]
    assert message.subject == "Surgery Day: Cancelled: Staying safe online, Tuesday 14 January 2031, 10:00 GMT"
    assert (
        'the workshop you were waiting for a place in, "Staying safe online" on Winter surgery, has been cancelled'
    ) in message.body
    assert "Tuesday 14 January 2031, 10:00 GMT to 11:00 GMT" in message.body
    assert "You are no longer on its waiting list" in html
    assert "Wendy Waiting" not in message.body + html
    assert len(mail_to(other)) == 1
    assert mail_to(left_already) == []
    assert Notification.objects.filter(kind=WAITING_LIST_CANCELLED, state=State.SENT).count() == 2
    assert Notification.objects.filter(kind=WORKSHOP_CANCELLED, state=State.SENT).count() == 2  # the two places
    assert set(WorkshopWaitingEntry.objects.values_list("status", flat=True)) == {"left"}


def test_waiting_list_notice_still_goes_if_the_day_is_cancelled_before_it_is_sent(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    _full_with_waiting_list(workshop, django_capture_on_commit_callbacks, learner)

    workshop_cancel(workshop_id=workshop.pk, by=organiser)
    day_cancel(day=workshop.day, by=organiser)
    mail.outbox.clear()
    send_due()

    # Their entry ended with the workshop, so the day's notice is not for them: this is their one message.
    assert [m.subject for m in mail_to(learner)] == [
        "Surgery Day: Cancelled: Staying safe online, Tuesday 14 January 2031, 10:00 GMT"
    ]


def test_day_cancelled_tells_workshop_waiting_lists_once_through_the_day_notice(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    later = WorkshopFactory(day=workshop.day, title="Podcasts", capacity=1, starts_at=workshop.ends_at)
    waiting_only = UserFactory()
    # The learner waits for two workshops and for a one-to-one slot that day; waiting_only for one workshop.
    _full_with_waiting_list(workshop, django_capture_on_commit_callbacks, learner, waiting_only)
    _full_with_waiting_list(later, django_capture_on_commit_callbacks, learner)
    day_waiting_list_join(day=workshop.day, person=learner)
    participants = [r.person for r in workshop.registrations.all()] + [r.person for r in later.registrations.all()]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        day_cancel(day=workshop.day, by=organiser)
    send_due()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in [learner, waiting_only, *participants])
    assert all(m.subject.startswith("Surgery Day: Cancelled: Winter surgery") for m in mail.outbox)
    assert "in a session or a workshop, you are no longer on the waiting list" in mail_to(waiting_only)[0].body
    assert not Notification.objects.filter(kind__in=[WAITING_LIST_CANCELLED, WORKSHOP_CANCELLED]).exists()
    assert set(WorkshopWaitingEntry.objects.values_list("status", flat=True)) == {"left"}
    assert set(WaitingListEntry.objects.values_list("status", flat=True)) == {"left"}


def test_waiting_list_place_is_announced_with_calendar_file(
    workshop, learner, send_due, django_capture_on_commit_callbacks
):
    first, second = UserFactory.create_batch(2)
    leaving = _register(workshop, first, django_capture_on_commit_callbacks)
    _register(workshop, second, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        waiting_list_join(workshop_id=workshop.pk, person=learner)
    assert mail_to(learner) == []

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration_id=leaving.pk, by=first)

    (message,) = mail_to(learner)
    assert message.subject.startswith("Surgery Day: You now have a place: Staying safe online")
    assert "You were next on the waiting list" in message.body
    assert ics_fields(message, filename="workshop.ics")["DTSTART"] == "20310114T100000Z"
    assert Notification.objects.filter(kind=WAITING_LIST_PLACE, recipient=learner, state=State.SENT).count() == 1
    assert not Notification.objects.filter(kind=REGISTRATION_CONFIRMED, recipient=learner).exists()


def test_changing_the_days_reminder_offsets_moves_workshop_reminders(
    workshop, learner, organiser, django_capture_on_commit_callbacks
):
    _register(workshop, learner, django_capture_on_commit_callbacks)
    day = workshop.day
    details = DayDetails(
        title=day.title, venue=day.venue, starts_at=day.starts_at, ends_at=day.ends_at, reminder_offsets_minutes=[60]
    )

    day_update(day=day, by=organiser, details=details)

    rows = sorted(Notification.objects.filter(kind=REMINDER).values_list("slot", "state", "due_at"))
    assert rows == [
        ("120m-before", State.CANCELLED, workshop.starts_at - timedelta(minutes=120)),
        ("1440m-before", State.CANCELLED, workshop.starts_at - timedelta(minutes=1440)),
        ("60m-before", State.PENDING, workshop.starts_at - timedelta(minutes=60)),
    ]


def _move(workshop, organiser, capture, *, hours: int) -> None:
    details = WorkshopDetails(
        title=workshop.title,
        description=workshop.description,
        room=workshop.room,
        starts_at=workshop.starts_at + timedelta(hours=hours),
        ends_at=workshop.ends_at + timedelta(hours=hours),
        capacity=workshop.capacity,
        facilitator_ids=list(workshop.facilitators.values_list("person_id", flat=True)),
    )
    with capture(execute=True):
        workshop_update(workshop_id=workshop.pk, by=organiser, details=details)


def test_moved_workshop_tells_participants_and_facilitators_once_with_updated_calendar(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    facilitator = UserFactory(display_name="Fran Facilitator")
    facilitating(workshop=workshop, person=facilitator)
    registration = _register(workshop, learner, django_capture_on_commit_callbacks)
    gone = UserFactory(display_name="Pat Participant")
    gone_place = _register(workshop, gone, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration_id=gone_place.pk, by=gone)
    # Essential: it reaches even someone who turned reminders off.
    notification_preference_set(person=learner, non_essential_enabled=False)
    mail.outbox.clear()

    _move(workshop, organiser, django_capture_on_commit_callbacks, hours=2)
    send_due()
    send_due()

    (notice,) = mail_to(learner)
    (to_facilitator,) = mail_to(facilitator)
    ics = ics_fields(notice, filename="workshop.ics")
    assert notice.subject == "Surgery Day: Workshop moved: Staying safe online, now Tuesday 14 January 2031, 12:00 GMT"
    assert "Now: Tuesday 14 January 2031, 12:00 GMT to 13:00 GMT" in notice.body
    assert "12:00 GMT" in notice.alternatives[0][0]
    assert (ics["UID"], ics["SEQUENCE"], ics["DTSTART"]) == (
        f"workshop-registration-{registration.pk}@surgeryday",
        "1",
        "20310114T120000Z",
    )
    assert "which you are running" in to_facilitator.body
    assert ics_fields(to_facilitator, filename="workshop.ics")["SEQUENCE"] == "1"
    assert mail_to(gone) == []
    others = {notice: (facilitator, gone), to_facilitator: (learner, gone)}
    for message, people in others.items():
        for person in people:
            assert person.display_name not in message.body + message.alternatives[0][0]
    assert sorted(
        Notification.objects.filter(kind=REMINDER, subject_id=registration.pk).values_list("slot", "due_at")
    ) == [
        ("120m-before", workshop.starts_at + timedelta(hours=2) - timedelta(minutes=120)),
        ("1440m-before", workshop.starts_at + timedelta(hours=2) - timedelta(minutes=1440)),
    ]


def test_workshop_moved_twice_sends_a_notice_per_move_with_the_next_sequence(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    _register(workshop, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    _move(workshop, organiser, django_capture_on_commit_callbacks, hours=1)
    send_due()
    workshop.refresh_from_db()
    _move(workshop, organiser, django_capture_on_commit_callbacks, hours=1)
    send_due()

    sequences = [ics_fields(m, filename="workshop.ics")["SEQUENCE"] for m in mail_to(learner)]
    assert sequences == ["1", "2"]
    assert Notification.objects.filter(kind=WORKSHOP_MOVED, state=State.SENT).count() == 2


def test_workshop_changed_without_new_times_sends_no_moved_notice(
    workshop, learner, organiser, send_due, django_capture_on_commit_callbacks
):
    facilitating(workshop=workshop, person=UserFactory())
    _register(workshop, learner, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    _move(workshop, organiser, django_capture_on_commit_callbacks, hours=0)
    send_due()

    assert mail.outbox == []
    assert not Notification.objects.filter(kind__in=[WORKSHOP_MOVED, WORKSHOP_MOVED_FACILITATOR]).exists()


def _reminders_of(workshop, learner, send_due, capture) -> list:
    with time_machine.travel(workshop.starts_at - timedelta(days=10), tick=False):
        _register(workshop, learner, capture)
        send_due()
    mail.outbox.clear()
    send_due(workshop.starts_at - timedelta(minutes=30))
    return mail_to(learner)


def test_workshop_reminder_takes_the_days_own_subject_and_opening(
    workshop, learner, send_due, django_capture_on_commit_callbacks
):
    reminder_wording_set(
        day=workshop.day,
        kind=ReminderWording.Reminder.WORKSHOP,
        subject="Your workshop on Tuesday",
        opening="Bring the phone you want to set up.",
    )

    reminders = _reminders_of(workshop, learner, send_due, django_capture_on_commit_callbacks)

    assert [m.subject for m in reminders] == ["Surgery Day: Your workshop on Tuesday"]
    assert "Bring the phone you want to set up." in reminders[0].body
    assert "Workshop: Staying safe online, on Winter surgery" in reminders[0].body
    assert "This is a reminder of your place" not in reminders[0].body
    assert "Bring the phone you want to set up." in reminders[0].alternatives[0][0]


def test_workshop_reminder_keeps_the_standard_wording_without_the_days_own(
    workshop, learner, send_due, django_capture_on_commit_callbacks
):
    # Wording for the day's other reminders does not leak into the workshop's.
    reminder_wording_set(day=workshop.day, kind=ReminderWording.Reminder.DAY, subject="Day", opening="Day opening.")

    reminders = _reminders_of(workshop, learner, send_due, django_capture_on_commit_callbacks)

    assert reminders[0].subject.startswith("Surgery Day: Reminder: Staying safe online, ")
    assert 'This is a reminder of your place in the workshop "Staying safe online"' in reminders[0].body
    assert "Day opening." not in reminders[0].body
