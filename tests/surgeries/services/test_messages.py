from datetime import timedelta

import pytest
from django.core import mail

from afterday.services import day_personal_data_purge
from outbox.models import Notification
from surgeries.errors import MessageError, RecipientsChanged
from surgeries.models import DayMessage, ReminderWording
from surgeries.notifications import HOUR_BEFORE, day_reminders_schedule
from surgeries.services import day_message_draft, day_message_send, reminder_wording_set
from tests.factories import UserFactory, WorkshopFactory, booked_slot, past_day, past_session, registered
from tests.mail import mail_to
from workshops.models import WorkshopWaitingEntry

pytestmark = pytest.mark.django_db
Group = DayMessage.Group


def _booked(slot, learner, send_due):
    """A booking whose confirmations have gone, so the mail outbox holds only what follows."""
    booked_slot(slot=slot, learner=learner)
    send_due()
    mail.outbox.clear()


def _draft(day, organiser, **fields):
    values = {"group": Group.LEARNERS, "subject": "Room change", "body": "We are in Room 4 now.", **fields}
    return day_message_draft(day=day, by=organiser, **values)


def test_message_with_an_empty_body_is_refused_and_not_kept(day, organiser):
    with pytest.raises(MessageError):
        _draft(day, organiser, body="   \n ")

    assert not DayMessage.objects.exists()


def test_drafting_a_message_sends_nothing(day, organiser, slot, learner, send_due):
    _booked(slot, learner, send_due)

    _draft(day, organiser)
    send_due()

    assert mail.outbox == []


def test_message_goes_to_each_learner_once_however_often_it_is_sent(day, organiser, slot, learner, send_due):
    _booked(slot, learner, send_due)
    message = _draft(day, organiser)

    first = day_message_send(message_id=message.pk, by=organiser, expected_count=1)
    again = day_message_send(message_id=message.pk, by=organiser, expected_count=1)
    send_due()
    send_due()

    (email,) = mail_to(learner)
    assert (first.recipient_count, again.recipient_count) == (1, 1)
    assert email.subject == "Surgery Day: Room change (Spring surgery)"
    assert "We are in Room 4 now." in email.body
    assert "turn off messages like this one" in email.body
    assert Notification.objects.filter(subject_id=message.pk, kind="surgeries.day_message").count() == 1


def test_essential_message_has_no_unsubscribe_footer(day, organiser, slot, learner, send_due):
    _booked(slot, learner, send_due)
    message = _draft(day, organiser, is_essential=True)
    day_message_send(message_id=message.pk, by=organiser)

    send_due()

    (email,) = mail_to(learner)
    assert "turn off messages like this one" not in email.body


def test_message_is_refused_when_the_group_changed_since_the_preview(day, organiser, slot):
    booked_slot(slot=slot)
    message = _draft(day, organiser)

    with pytest.raises(RecipientsChanged) as refused:
        day_message_send(message_id=message.pk, by=organiser, expected_count=2)

    assert refused.value.count == 1
    assert DayMessage.objects.get(pk=message.pk).sent_at is None
    assert not Notification.objects.filter(kind__startswith="surgeries.day_message").exists()


def test_message_to_an_empty_group_is_refused(day, organiser):
    message = _draft(day, organiser, group=Group.NO_SHOW)

    with pytest.raises(MessageError, match="Nobody in this group"):
        day_message_send(message_id=message.pk, by=organiser)


def test_after_day_purge_empties_the_text_and_keeps_the_record(organisation, organiser, surgeon, learner):
    day = past_day(organisation, days_ago=40)
    past_session(day, surgeon=surgeon, learner=learner)
    message = _draft(day, organiser, body="Thank you for coming, Lee.")
    day_message_send(message_id=message.pk, by=organiser)

    day_personal_data_purge(day_id=day.pk)

    kept = DayMessage.objects.get(pk=message.pk)
    assert (kept.body, kept.subject, kept.recipient_count) == ("", "Room change", 1)
    assert kept.body_purged_at is not None


def test_purged_message_still_waiting_is_not_sent(day, organiser, slot, learner, send_due):
    _booked(slot, learner, send_due)
    message = _draft(day, organiser)
    day_message_send(message_id=message.pk, by=organiser)
    DayMessage.objects.filter(pk=message.pk).update(body="", body_purged_at=message.created_at)

    send_due()

    assert mail_to(learner) == []


def test_reminder_wording_replaces_subject_and_opening(day, learner, send_due):
    reminder_wording_set(
        day=day, kind=ReminderWording.Reminder.DAY, subject="See you on Saturday", opening="Bring your phone charger."
    )
    day_reminders_schedule(day=day, recipients=[learner], slots=[HOUR_BEFORE])

    send_due(day.starts_at - timedelta(hours=1))

    (email,) = mail_to(learner)
    assert email.subject == "Surgery Day: See you on Saturday"
    assert "Bring your phone charger." in email.body
    assert "This is a reminder that" not in email.body
    assert "Bring your phone charger." in email.alternatives[0][0]


def test_blank_reminder_wording_goes_back_to_the_standard(day, learner, send_due):
    reminder_wording_set(day=day, kind=ReminderWording.Reminder.DAY, subject="Custom", opening="")
    reminder_wording_set(day=day, kind=ReminderWording.Reminder.DAY, subject=" ", opening="")
    day_reminders_schedule(day=day, recipients=[learner], slots=[HOUR_BEFORE])

    send_due(day.starts_at - timedelta(hours=1))

    (email,) = mail_to(learner)
    assert email.subject.startswith("Surgery Day: Reminder: Spring surgery")
    assert not ReminderWording.objects.exists()


def test_message_to_who_did_not_come_reaches_workshop_participants_marked_absent(day, organiser, send_due):
    workshop = WorkshopFactory(day=day)
    absent = registered(workshop=workshop, person=UserFactory(display_name="Nia"))
    absent.is_no_show = True
    absent.save()
    registered(workshop=workshop, person=UserFactory(display_name="Pat"))
    send_due()
    mail.outbox.clear()
    message = _draft(day, organiser, group=Group.NO_SHOW, subject="Sorry we missed you")

    sent = day_message_send(message_id=message.pk, by=organiser, expected_count=1)
    send_due()

    assert sent.recipient_count == 1
    assert [m.to for m in mail.outbox if "Sorry we missed you" in m.subject] == [[absent.person.email]]


def test_message_to_the_waiting_lists_reaches_people_waiting_for_a_workshop(day, organiser, send_due):
    waiting = UserFactory()
    WorkshopWaitingEntry.objects.create(workshop=WorkshopFactory(day=day), person=waiting)
    message = _draft(day, organiser, group=Group.WAITING, subject="Places may free up")

    day_message_send(message_id=message.pk, by=organiser, expected_count=1)
    send_due()

    assert [m.subject for m in mail_to(waiting)] == ["Surgery Day: Places may free up (Spring surgery)"]
