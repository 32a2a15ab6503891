from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from surgeries.models import Booking, CalendarFeed, SurgeryDay
from surgeries.services import booking_reschedule, days_finish_ended
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    local_datetime,
    past_day,
    registered,
)

pytestmark = pytest.mark.django_db


def _slot_on(day_date: date, hour: int, organisation):
    day = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(day_date, 9),
        ends_at=local_datetime(day_date, 16),
    )
    return SlotFactory(
        day_surgeon=DaySurgeonFactory(day=day),
        starts_at=local_datetime(day_date, hour),
        ends_at=local_datetime(day_date, hour, 30),
    )


@pytest.mark.parametrize(
    ("day_date", "utc_start", "local_text"),
    [
        # Saturday before clocks go forward (27 March 2027) and the Sunday after.
        (date(2027, 3, 27), "DTSTART:20270327T100000Z", "Saturday 27 March 2027\\, 10:00 GMT"),
        (date(2027, 3, 28), "DTSTART:20270328T090000Z", "Sunday 28 March 2027\\, 10:00 BST"),
        # Saturday before clocks go back (30 October 2027) and the Sunday after.
        (date(2027, 10, 30), "DTSTART:20271030T090000Z", "Saturday 30 October 2027\\, 10:00 BST"),
        (date(2027, 10, 31), "DTSTART:20271031T100000Z", "Sunday 31 October 2027\\, 10:00 GMT"),
    ],
)
def test_booking_ics_gives_utc_time_and_venue_time_across_clock_changes(
    client, learner, organisation, day_date, utc_start, local_text
):
    with time_machine.travel(local_datetime(date(2027, 3, 1), 12), tick=False):
        booking = booked_slot(slot=_slot_on(day_date, 10, organisation), learner=learner)
        client.force_login(learner)
        response = client.get(reverse("surgeries:booking_ics", args=[booking.pk]))

    body = response.content.decode().replace("\r\n ", "")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert utc_start in body
    assert local_text in body


def test_booking_ics_of_someone_elses_booking_is_404(client, stranger, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(stranger)

    assert client.get(reverse("surgeries:booking_ics", args=[booking.pk])).status_code == 404


def test_booking_ics_surgeon_can_download_it(client, surgeon, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(surgeon)

    body = client.get(reverse("surgeries:booking_ics", args=[booking.pk])).content.decode()

    assert "helping Lee Learner" in body


def test_calendar_feed_lists_active_bookings_by_secret_token(client, learner, slot):
    booked_slot(slot=slot, learner=learner)
    client.force_login(learner)
    client.post(reverse("surgeries:calendar_feed_reset"))
    token = CalendarFeed.objects.get(person=learner).token
    client.logout()

    body = client.get(reverse("surgeries:calendar_feed", args=[token])).content.decode()

    assert body.count("BEGIN:VEVENT") == 1
    assert "Sam Surgeon" in body


def test_calendar_feed_includes_workshop_places(client, learner, slot):
    booked_slot(slot=slot, learner=learner)
    workshop = WorkshopFactory(day=slot.day, title="Privacy check-up", starts_at=slot.ends_at)
    registration = registered(workshop=workshop, person=learner)
    WorkshopFactory(day=slot.day, title="Not mine", starts_at=slot.ends_at)
    feed = CalendarFeed.objects.create(person=learner)

    body = client.get(reverse("surgeries:calendar_feed", args=[feed.token])).content.decode()

    unfolded = body.replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") == 2
    assert f"UID:workshop-registration-{registration.pk}@surgeryday" in unfolded
    assert "Privacy check-up" in unfolded
    assert "Not mine" not in unfolded
    assert body.endswith("END:VCALENDAR\r\n")


def test_calendar_feed_includes_workshops_the_person_runs_without_who_is_coming(client, settings, learner, day):
    running = WorkshopFactory(day=day, title="Privacy check-up")
    facilitator = facilitating(workshop=running, person=learner)
    registered(workshop=running, person=UserFactory(display_name="Pat Participant"))
    facilitating(workshop=WorkshopFactory(day=day, title="Not mine", starts_at=running.ends_at))
    feed = CalendarFeed.objects.create(person=learner)

    body = client.get(reverse("surgeries:calendar_feed", args=[feed.token])).content.decode()

    unfolded = body.replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:workshop-facilitator-{facilitator.pk}@surgeryday" in unfolded
    assert f"DTSTART:{running.starts_at:%Y%m%dT%H%M%S}Z" in unfolded
    assert "SUMMARY:Running workshop: Privacy check-up (10:00 " in unfolded
    register = reverse("workshops:attendee_register", args=[running.pk])
    assert f"Who is coming: {settings.SITE_URL}{register}" in unfolded
    assert "Pat Participant" not in unfolded
    assert "Not mine" not in unfolded


@pytest.mark.parametrize("count", [1, 10])
def test_calendar_feed_query_count_is_fixed(client, django_assert_num_queries, learner, count):
    for index in range(count):
        slot = SlotFactory(starts_at=timezone.now() + timedelta(days=3, hours=3 * index))
        booked_slot(slot=slot, learner=learner)
        registered(workshop=WorkshopFactory(day=slot.day, starts_at=slot.ends_at), person=learner)
        running = WorkshopFactory(day=slot.day, starts_at=slot.ends_at + timedelta(hours=1))
        facilitating(workshop=running, person=learner)
    feed = CalendarFeed.objects.create(person=learner)

    # feed, bookings, workshop places, workshops run
    with django_assert_num_queries(4):
        body = client.get(reverse("surgeries:calendar_feed", args=[feed.token])).content.decode()

    assert body.count("BEGIN:VEVENT") == 3 * count
    assert body.count("SUMMARY:Running workshop: ") == count


def test_calendar_feed_keeps_a_finished_days_session_and_workshop_place(client, organisation, learner, surgeon):
    day = past_day(organisation, status=SurgeryDay.Status.PUBLISHED)
    with time_machine.travel(day.starts_at - timedelta(days=1), tick=False):
        booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon)), learner=learner)
        workshop = WorkshopFactory(day=day, title="Privacy check-up", starts_at=day.starts_at + timedelta(hours=1))
        registration = registered(workshop=workshop, person=learner)
    days_finish_ended()
    feed = CalendarFeed.objects.create(person=learner)

    body = client.get(reverse("surgeries:calendar_feed", args=[feed.token])).content.decode()

    unfolded = body.replace("\r\n ", "")
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.FINISHED
    assert f"UID:booking-{booking.pk}@surgeryday" in unfolded
    assert f"UID:workshop-registration-{registration.pk}@surgeryday" in unfolded


def test_calendar_feed_old_token_stops_working_after_renewal(client, learner):
    client.force_login(learner)
    client.post(reverse("surgeries:calendar_feed_reset"))
    old = CalendarFeed.objects.get(person=learner).token
    client.post(reverse("surgeries:calendar_feed_reset"))

    assert client.get(reverse("surgeries:calendar_feed", args=[old])).status_code == 404


def test_calendar_feed_unknown_token_is_404(client):
    assert client.get(reverse("surgeries:calendar_feed", args=["not-a-token"])).status_code == 404


def test_a_moved_booking_keeps_its_event_in_the_calendar_feed(client, learner, day, surgeon):
    first = SlotFactory(day=day, surgeon=surgeon)
    second = SlotFactory(day=day, surgeon=surgeon, starts_at=first.ends_at)
    third = SlotFactory(day=day, surgeon=surgeon, starts_at=second.ends_at)
    booking = booked_slot(slot=first, learner=learner)
    Booking.objects.filter(pk=booking.pk).update(organiser_note="Quiet room")
    moved = booking_reschedule(booking_id=booking.pk, new_slot_id=second.pk, by=learner)
    moved_again = booking_reschedule(booking_id=moved.pk, new_slot_id=third.pk, by=learner)
    feed = CalendarFeed.objects.create(person=learner)

    body = client.get(reverse("surgeries:calendar_feed", args=[feed.token])).content.decode()

    unfolded = body.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == 1
    assert f"UID:booking-{booking.pk}@surgeryday\r\nSEQUENCE:2\r\n" in unfolded
    assert Booking.objects.get(pk=moved_again.pk).organiser_note == "Quiet room"
