"""Organisers' messages to the people of a day, and their wording of its reminders."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from people.models import User
from surgeries.errors import MessageError, RecipientsChanged
from surgeries.models import DayMessage, ReminderWording, SurgeryDay
from surgeries.notifications import day_message_notify
from surgeries.selectors.attendees import message_recipients


@transaction.atomic
def day_message_draft(
    *, day: SurgeryDay, by: User, group: str, subject: str, body: str, is_essential: bool = False
) -> DayMessage:
    """Keep a message to check before it is sent. Nothing is sent yet."""
    if not body.strip():
        raise MessageError("Write the message before checking it.")
    message = DayMessage(
        day=day,
        sent_by=by,
        group=group,
        subject=subject.strip(),
        body=body.strip(),
        is_essential=is_essential,
    )
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def day_message_send(*, message_id: int, by: User, expected_count: int | None = None) -> DayMessage:
    """Send a checked message, once.

    1. Lock the message, so two presses of "Send" cannot both pass the next check.
    2. A message already sent is returned as it is: nothing goes twice.
    3. Work out the recipients again; if their number is not the one the organiser
       confirmed, refuse, so nobody is written to who was not counted.
    4. Give each recipient one outbox row (unique per message and person) and record
       when, by whom and to how many it was sent.
    """
    message = DayMessage.objects.select_for_update().select_related("day__venue").get(pk=message_id)
    if message.is_sent:
        return message
    if message.body_purged_at is not None:
        raise MessageError("This message is too old to send.")
    recipients = list(message_recipients(day=message.day, group=message.group, is_essential=message.is_essential))
    if expected_count is not None and len(recipients) != expected_count:
        raise RecipientsChanged(len(recipients))
    if not recipients:
        raise MessageError("Nobody in this group can be written to, so nothing was sent.")
    message.recipient_count = day_message_notify(message=message, recipients=recipients)
    message.sent_at = timezone.now()
    message.sent_by = by
    message.full_clean()
    message.save(update_fields=["recipient_count", "sent_at", "sent_by"])
    return message


def day_messages_purge(*, day: SurgeryDay, now: datetime) -> int:
    """Empty the bodies of a day's messages, keeping who sent what subject to how many.

    Runs inside the after-day purge's transaction, with the day locked."""
    return DayMessage.objects.filter(day=day, body_purged_at__isnull=True).update(body="", body_purged_at=now)


@transaction.atomic
def reminder_wording_set(*, day: SurgeryDay, kind: str, subject: str, opening: str) -> ReminderWording | None:
    """Set the organisers' subject and opening for one reminder of the day; both blank goes back to the standard."""
    subject, opening = subject.strip(), opening.strip()
    if not subject and not opening:
        ReminderWording.objects.filter(day=day, kind=kind).delete()
        return None
    wording = ReminderWording.objects.select_for_update().filter(day=day, kind=kind).first()
    wording = wording or ReminderWording(day=day, kind=kind)
    wording.subject, wording.opening = subject, opening
    wording.full_clean()
    wording.save()
    return wording
