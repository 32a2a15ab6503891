"""What "export my data" and "delete my account" do with surgery-day bookings.

Registered with `people.privacy` from `SurgeriesConfig.ready()`, so `people` never
imports this app.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox.models import Notification
from people.models import User
from people.privacy import register_erasure_handler, register_export_section
from surgeries.day_version import bump_day_version
from surgeries.models import Booking, CalendarFeed, DayMessage, DaySurgeon, Slot, WaitingListEntry
from surgeries.services.booking import _locked_booking, booking_release_locked
from surgeries.services.waiting import waiting_entries_end


def bookings_export(person: User) -> dict:
    """Every booking the person made or gave, their waiting-list places and surgeon days."""
    bookings = (
        Booking.objects.filter(Q(learner=person) | Q(surgeon=person))
        .select_related("day__venue", "slot", "learner", "surgeon")
        .prefetch_related("topics")
        .order_by("slot__starts_at", "pk")
    )
    waiting = WaitingListEntry.objects.filter(person=person).select_related("day").order_by("created_at")
    surgeon_days = DaySurgeon.objects.filter(person=person).select_related("day").order_by("day__starts_at")
    return {
        "bookings": [_booking_row(booking, person) for booking in bookings],
        "waiting_lists": [
            {"day": entry.day.title, "status": entry.status, "note": entry.note, "joined": entry.created_at.isoformat()}
            for entry in waiting
        ],
        "surgeon_days": [
            {
                "day": row.day.title,
                "most_sessions": row.max_sessions,
                "sessions_online": row.is_online,
                # The link they set for their own sessions; the day's link is the organisation's.
                "video_link": row.video_link,
            }
            for row in surgeon_days
        ],
        **day_messages_export(person),
    }


def day_messages_export(person: User) -> dict:
    """Messages the person sent to the people of a day as an organiser, and those sent to them.

    A text deleted by the after-day purge is exported as empty, as it is kept."""
    sent = DayMessage.objects.filter(sent_by=person).select_related("day").order_by("created_at", "pk")
    received_ids = Notification.objects.filter(
        recipient=person, subject_type=ContentType.objects.get_for_model(DayMessage)
    ).values("subject_id")
    received = DayMessage.objects.filter(pk__in=received_ids).select_related("day").order_by("sent_at", "pk")
    return {
        "messages_sent_to_a_day": [
            {
                "day": m.day.title,
                "to": m.get_group_display(),
                "people": m.recipient_count,
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                "subject": m.subject,
                "text": m.body,
            }
            for m in sent
        ],
        "messages_from_organisers": [
            {
                "day": m.day.title,
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                "subject": m.subject,
                "text": m.body,
            }
            for m in received
        ],
    }


def _booking_row(booking: Booking, person: User) -> dict:
    as_learner = booking.learner_id == person.pk
    return {
        "day": booking.day.title,
        "starts_at_utc": booking.slot.starts_at.isoformat(),
        "venue_time_zone": booking.day.venue.time_zone,
        "as": "learner" if as_learner else "surgeon",
        "with": (booking.surgeon if as_learner else booking.learner).display_name,
        "status": booking.status,
        "topics": [topic.name for topic in booking.topics.all()],
        "note_for_surgeon": booking.note,
        "checked_in": booking.checked_in_at is not None,
        # What organisers recorded about the person's booking is theirs to read too.
        **(_learner_only(booking) if as_learner else {}),
    }


def _learner_only(booking: Booking) -> dict:
    return {
        "marked_no_show": booking.is_no_show,
        "organiser_note": booking.organiser_note,
        # An organiser booked it for them: how they asked, and when they agreed.
        "booked_for_you": booking.get_on_behalf_display() if booking.on_behalf else None,
        "consent_recorded_at": booking.consent_recorded_at.isoformat() if booking.consent_recorded_at else None,
    }


@transaction.atomic
def bookings_erase(person: User) -> None:
    """Run inside the erasure transaction, before the account is scrubbed.

    1. Withdraw the person's own upcoming surgeon slots, so nobody is booked with them,
       and take them off waiting lists, so no freed slot goes back to them.
    2. Cancel every upcoming booking they are part of: the other person is told, and a
       slot that is still offered goes to the waiting list as after any cancellation.
    3. Blank the notes they wrote for surgeons and organisers' notes on their
       bookings (free text may mention their health), the video links they set as
       a surgeon (often a personal meeting room), and revoke their calendar
       address. Past bookings stay, so organisers' counts hold.
    """
    now = timezone.now()
    withdrawn = Slot.objects.filter(surgeon=person, starts_at__gt=now, is_offered=True)
    bump_day_version(*set(withdrawn.values_list("day_id", flat=True)))
    withdrawn.update(is_offered=False)
    waiting_entries_end(WaitingListEntry.objects.filter(person=person))
    upcoming = Booking.objects.filter(
        Q(learner=person) | Q(surgeon=person), status=Booking.Status.ACTIVE, slot__starts_at__gt=now
    ).order_by("slot_id")
    for booking_id in upcoming.values_list("pk", flat=True):
        booking_release_locked(booking=_locked_booking(booking_id), by=person, now=now)
    Booking.objects.filter(learner=person).update(note="", organiser_note="")
    WaitingListEntry.objects.filter(person=person).update(note="")
    DaySurgeon.objects.filter(person=person).exclude(video_link="").update(video_link="")
    # The secret calendar address would otherwise keep publishing their sessions.
    CalendarFeed.objects.filter(person=person).delete()
    # Messages they sent as an organiser stay on the day's record, no longer signed;
    # a draft never sent goes.
    DayMessage.objects.filter(sent_by=person, sent_at__isnull=True).delete()
    DayMessage.objects.filter(sent_by=person).update(sent_by=None)


def register() -> None:
    register_export_section("surgery_bookings", bookings_export)
    register_erasure_handler(bookings_erase)
