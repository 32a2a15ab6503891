"""Export and erasure of a person's surgery-day bookings, through people's hooks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from outbox.sweep import send_inline, sweep_due
from people.privacy import account_delete, account_export
from people.visibility import relationships_between
from surgeries.models import Booking, CalendarFeed, DayMessage, DaySurgeon, Slot, SurgeryDay, WaitingListEntry
from surgeries.services import day_message_draft, day_message_send, waiting_list_join
from tests.factories import SlotFactory, UserFactory, booked_slot

pytestmark = pytest.mark.django_db


def test_export_lists_bookings_with_their_note(slot, learner):
    booked_slot(slot=slot, learner=learner, note="I get anxious with settings pages")

    exported = account_export(person=learner)["surgery_bookings"]

    assert [(row["as"], row["with"], row["note_for_surgeon"]) for row in exported["bookings"]] == [
        ("learner", "Sam Surgeon", "I get anxious with settings pages")
    ]


def test_erasing_a_learner_cancels_upcoming_bookings_and_tells_the_surgeon(
    slot, learner, surgeon, django_capture_on_commit_callbacks
):
    booking = booked_slot(slot=slot, learner=learner, note="Private worry")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(person=learner)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.note == ""
    assert not booking.commitments.filter(is_active=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=send_inline)
    assert [message.to for message in mail.outbox] == [[surgeon.email]]


def test_erasing_a_learner_keeps_past_bookings_for_counts(slot, learner):
    booking = booked_slot(slot=slot, learner=learner, note="Old note")
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=slot.starts_at - timedelta(days=30), ends_at=slot.ends_at - timedelta(days=30)
    )

    account_delete(person=learner)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.ACTIVE
    assert booking.note == ""
    assert booking.learner.display_name == "Former member"


def test_erasing_a_surgeon_withdraws_their_slots_so_the_waiting_list_is_not_booked_with_them(
    day, slot, learner, surgeon
):
    booked_slot(slot=slot, learner=learner)
    waiting = UserFactory()
    waiting_list_join(day=day, person=waiting)

    account_delete(person=surgeon)

    slot.refresh_from_db()
    assert slot.is_offered is False
    assert not Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists()
    assert WaitingListEntry.objects.get(person=waiting).status == WaitingListEntry.Status.WAITING


def test_erasing_someone_frees_their_slot_for_the_longest_waiting_person(day, slot, learner):
    booked_slot(slot=slot, learner=learner)
    waiting = UserFactory()
    waiting_list_join(day=day, person=waiting)

    account_delete(person=learner)

    assert Booking.objects.get(slot=slot, status=Booking.Status.ACTIVE).learner == waiting


def test_learner_and_surgeon_of_a_booking_are_paired_for_the_visibility_policy(slot, learner, surgeon):
    other = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at + timedelta(hours=1))
    stranger_on_day = UserFactory()
    booked_slot(slot=slot, learner=learner)
    booked_slot(slot=other, learner=stranger_on_day)

    relationships = relationships_between(viewer=surgeon, person_ids=[learner.pk, stranger_on_day.pk])

    assert relationships[learner.pk] >= {"paired", "event"}
    assert relationships[stranger_on_day.pk] >= {"paired"}
    assert relationships_between(viewer=learner, person_ids=[stranger_on_day.pk])[stranger_on_day.pk] == {"event"}


def test_erasing_an_account_revokes_its_calendar_address(client, slot, learner):
    booked_slot(slot=slot, learner=learner)
    token = CalendarFeed.objects.create(person=learner).token
    url = reverse("surgeries:calendar_feed", args=[token])
    assert client.get(url).status_code == 200

    account_delete(person=learner)

    assert client.get(url).status_code == 404
    assert not CalendarFeed.objects.filter(person=learner).exists()


def test_calendar_address_of_a_deactivated_account_stops_working(client, slot, learner):
    token = CalendarFeed.objects.create(person=learner).token
    learner.is_active = False
    learner.save(update_fields=["is_active"])

    assert client.get(reverse("surgeries:calendar_feed", args=[token])).status_code == 404


def test_the_learner_can_read_what_organisers_recorded_but_the_surgeon_cannot(slot, learner, surgeon):
    booking = booked_slot(slot=slot, learner=learner)
    Booking.objects.filter(pk=booking.pk).update(organiser_note="Needs the quiet room", is_no_show=True)

    mine = account_export(person=learner)["surgery_bookings"]["bookings"]
    theirs = account_export(person=surgeon)["surgery_bookings"]["bookings"]

    assert [(row["organiser_note"], row["marked_no_show"]) for row in mine] == [("Needs the quiet room", True)]
    assert "organiser_note" not in theirs[0]
    assert "marked_no_show" not in theirs[0]


def test_erasing_a_learner_deletes_organisers_notes_on_their_bookings(slot, learner):
    booking = booked_slot(slot=slot, learner=learner)
    Booking.objects.filter(pk=booking.pk).update(organiser_note="Needs the quiet room")

    account_delete(person=learner)

    assert Booking.objects.get(pk=booking.pk).organiser_note == ""


def test_erasing_someone_booked_and_waiting_on_one_day_does_not_book_them_back_into_their_freed_slot(
    slot, learner, django_capture_on_commit_callbacks
):
    # Booked at one time and waiting for another the same day: cancelling the booking
    # frees the slot, which must not go to the person being erased.
    booked_slot(slot=slot, learner=learner)
    waiting_list_join(day=slot.day, person=learner)

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(person=learner)

    assert not Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists()
    assert not WaitingListEntry.objects.filter(person=learner, status=WaitingListEntry.Status.WAITING).exists()


def _sent_message(day, organiser, text="Room 4 today"):
    message = day_message_draft(day=day, by=organiser, group="learners", subject="Room change", body=text)
    return day_message_send(message_id=message.pk, by=organiser)


def test_export_lists_messages_sent_and_received(day, slot, learner, organiser):
    booked_slot(slot=slot, learner=learner)
    _sent_message(day, organiser)

    sent = account_export(person=organiser)["surgery_bookings"]["messages_sent_to_a_day"]
    received = account_export(person=learner)["surgery_bookings"]["messages_from_organisers"]

    assert [(m["subject"], m["text"], m["people"]) for m in sent] == [("Room change", "Room 4 today", 1)]
    assert [(m["subject"], m["text"]) for m in received] == [("Room change", "Room 4 today")]


def test_erasing_an_organiser_keeps_sent_messages_unsigned_and_drops_drafts(day, slot, learner, organiser):
    booked_slot(slot=slot, learner=learner)
    sent = _sent_message(day, organiser)
    day_message_draft(day=day, by=organiser, group="learners", subject="Draft", body="Never sent")

    account_delete(person=organiser)

    assert list(DayMessage.objects.values_list("pk", "sent_by")) == [(sent.pk, None)]


def test_export_has_the_video_link_a_surgeon_set_and_erasure_blanks_it(day, surgeon):
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.ONLINE)
    DaySurgeon.objects.create(day=day, person=surgeon, video_link="https://video.example.org/sam")

    exported = account_export(person=surgeon)["surgery_bookings"]["surgeon_days"]
    account_delete(person=surgeon)

    assert [(row["day"], row["video_link"]) for row in exported] == [
        ("Spring surgery", "https://video.example.org/sam")
    ]
    assert DaySurgeon.objects.get(day=day).video_link == ""
