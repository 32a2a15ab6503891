from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from surgeries.models import Booking, SurgeryDay
from surgeries.services import days_finish_ended
from tests.factories import (
    DaySurgeonFactory,
    OpenSpaceFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    past_day,
    registered,
)
from tests.workshops.test_views import fill_day
from workshops.models import Workshop, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db


def test_day_detail_lists_free_slots_in_venue_time(client, slot):
    page = client.get(reverse("surgeries:day_detail", args=[slot.day_id])).content.decode()

    assert "10:00 GMT" in page or "10:00 BST" in page
    assert "Sam Surgeon" in page


def test_day_detail_hides_booked_slots(client, slot):
    booked_slot(slot=slot)

    page = client.get(reverse("surgeries:day_detail", args=[slot.day_id])).content.decode()

    assert "There are no free sessions just now." in page


def test_day_detail_of_draft_day_is_hidden_from_everyone_but_organisers(client, organisation, organiser, learner):
    draft = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)
    url = reverse("surgeries:day_detail", args=[draft.pk])

    assert client.get(url).status_code == 404
    client.force_login(learner)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("slot_count", [1, 40])
def test_day_detail_query_count_does_not_grow_with_slots(client, django_assert_num_queries, day, learner, slot_count):
    for index in range(slot_count):
        SlotFactory(
            day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(minutes=30 * (index % 8))
        )
    client.force_login(learner)

    # session, user, zone, day, access, slots, topics, commitments, sessions taken,
    # own bookings, waiting, is surgeon, topics for the form
    with django_assert_num_queries(14):
        response = client.get(reverse("surgeries:day_detail", args=[day.pk]))

    assert response.content.decode().count(">Book<") == slot_count


def test_book_requires_login(client, slot):
    url = reverse("surgeries:book", args=[slot.day_id, slot.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_book_creates_booking_and_shows_it_in_my_bookings(client, learner, slot):
    client.force_login(learner)

    response = client.post(
        reverse("surgeries:book", args=[slot.day_id, slot.pk]), {"note": "My group's page"}, follow=True
    )

    page = response.content.decode()
    assert "You are booked in." in page
    assert "Sam Surgeon" in page
    assert Booking.objects.get(learner=learner).note == "My group's page"


def test_book_taken_slot_shows_friendly_message_not_error_page(client, learner, slot):
    booked_slot(slot=slot)
    client.force_login(learner)

    response = client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {}, follow=True)

    assert response.status_code == 200
    assert "Sorry, this slot has just been taken. Please choose another time." in response.content.decode()


def test_book_stranger_can_book_published_day(client, stranger, slot):
    client.force_login(stranger)

    client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {})

    assert Booking.objects.filter(learner=stranger, status=Booking.Status.ACTIVE).count() == 1


def test_book_slot_of_other_day_is_404(client, learner, slot):
    other_day = SurgeryDayFactory()
    client.force_login(learner)

    response = client.get(reverse("surgeries:book", args=[other_day.pk, slot.pk]))

    assert response.status_code == 404


def test_my_bookings_lists_learner_and_surgeon_sessions(client, learner, surgeon, slot):
    booked_slot(slot=slot, learner=learner)

    client.force_login(learner)
    as_learner = client.get(reverse("surgeries:my_bookings")).content.decode()
    client.force_login(surgeon)
    as_surgeon = client.get(reverse("surgeries:my_bookings")).content.decode()

    assert "Sam Surgeon" in as_learner and "Learner" in as_learner
    assert "Lee Learner" in as_surgeon and "Surgeon" in as_surgeon


def test_my_bookings_requires_login(client):
    response = client.get(reverse("surgeries:my_bookings"))

    assert response.status_code == 302


@pytest.mark.parametrize("booking_count", [1, 25])
def test_my_bookings_query_count_does_not_grow(client, django_assert_num_queries, learner, booking_count):
    for index in range(booking_count):
        booked_slot(slot=SlotFactory(starts_at=timezone.now() + timedelta(days=7, hours=index)), learner=learner)
        workshop = WorkshopFactory(day=SurgeryDayFactory(starts_at=timezone.now() + timedelta(days=30, hours=index)))
        registered(workshop=workshop, person=learner)
        WorkshopWaitingEntry.objects.create(workshop=WorkshopFactory(day=workshop.day), person=learner)
        running = WorkshopFactory(day=SurgeryDayFactory(starts_at=timezone.now() + timedelta(days=60, hours=index)))
        facilitating(workshop=running, person=learner)
    client.force_login(learner)

    # session, user, navigation (first page only), feed, bookings, topics, waiting list;
    # workshop places, workshops run, workshop waiting list
    with django_assert_num_queries(10):
        response = client.get(reverse("surgeries:my_bookings"))

    page = response.content.decode()
    assert page.count("Change time<") == booking_count
    assert page.count('class="agenda-workshop"') == booking_count * 2
    assert page.count("<td>Facilitator</td>") == booking_count
    assert page.count("Who is coming<") == booking_count
    assert page.count("Workshop: <a") == booking_count * 3


def _agenda_row(page: str, title: str) -> str:
    (row,) = [row for row in page.split('<tr class="agenda-workshop">')[1:] if title in row.split("</tr>")[0]]
    return row.split("</tr>")[0]


def test_my_bookings_shows_workshops_the_person_runs_with_their_register_and_no_cancel_link(
    client, organisation, learner, day
):
    running = WorkshopFactory(day=day, title="Staying safe online")
    facilitating(workshop=running, person=learner)
    registered(workshop=running, person=UserFactory(display_name="Pat Participant"))
    cancelled = WorkshopFactory(
        day=day, title="Called off", starts_at=running.ends_at, status=Workshop.Status.CANCELLED
    )
    facilitating(workshop=cancelled, person=learner)
    draft_day = SurgeryDayFactory(
        organisation=organisation, status=SurgeryDay.Status.DRAFT, starts_at=day.starts_at + timedelta(days=1)
    )
    facilitating(workshop=WorkshopFactory(day=draft_day, title="Not announced yet"), person=learner)
    facilitating(
        workshop=WorkshopFactory(day=day, title="Someone else's", starts_at=day.starts_at + timedelta(hours=2))
    )
    client.force_login(learner)

    page = client.get(reverse("surgeries:my_bookings")).content.decode()

    row = _agenda_row(page, "Staying safe online")
    assert "<td>Facilitator</td>" in row
    assert f'href="{reverse("workshops:workshop_detail", args=[running.pk])}"' in row
    assert f'href="{reverse("workshops:attendee_register", args=[running.pk])}"' in row
    assert "Cancel" not in row
    assert "Pat Participant" not in page
    for hidden in ("Called off", "Not announced yet", "Someone else's"):
        assert hidden not in page
    assert "You have no sessions coming up." not in page


def test_my_bookings_lists_workshops_the_person_ran_under_past(client, organisation, learner):
    day = past_day(organisation, title="Autumn surgery")
    facilitating(workshop=WorkshopFactory(day=day, title="Video calls"), person=learner)
    client.force_login(learner)

    page = client.get(reverse("surgeries:my_bookings")).content.decode()

    past = page.split('id="past-heading"')[1]
    assert "Autumn surgery, workshop" in past
    assert "Video calls</a> (facilitator)" in past
    assert 'class="agenda-workshop"' not in page


def test_my_bookings_lists_workshop_places_and_waiting_lists(client, learner, day):
    place = WorkshopFactory(day=day, title="Staying safe online")
    full = WorkshopFactory(day=day, title="Video calls", starts_at=day.starts_at + timedelta(hours=2), capacity=1)
    registered(workshop=place, person=learner)
    registered(workshop=full)
    WorkshopWaitingEntry.objects.create(workshop=full, person=learner)
    client.force_login(learner)

    page = client.get(reverse("surgeries:my_bookings")).content.decode()

    assert "Staying safe online" in page
    assert "Participant" in page
    assert "Video calls" in page.split('id="waiting-heading"')[1]
    assert "You have no sessions coming up." not in page


def test_cancel_cancels_own_booking(client, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(learner)

    response = client.post(reverse("surgeries:cancel", args=[booking.pk]), follow=True)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert "Your booking is cancelled." in response.content.decode()


@pytest.mark.parametrize("persona", ["surgeon", "other_organiser", "stranger", "organiser"])
def test_cancel_someone_elses_booking_is_404(client, request, learner, slot, persona):
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("surgeries:cancel", args=[booking.pk]))

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.is_active


def test_cancel_after_cut_off_keeps_booking_and_says_why(client, learner, organisation):
    day = SurgeryDayFactory(
        organisation=organisation,
        starts_at=timezone.now() + timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=5),
    )
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)), learner=learner)
    client.force_login(learner)

    response = client.post(reverse("surgeries:cancel", args=[booking.pk]), follow=True)

    assert "It is too late to change this booking online." in response.content.decode()
    booking.refresh_from_db()
    assert booking.is_active


def test_reschedule_moves_booking(client, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    later = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)
    client.force_login(learner)

    response = client.post(reverse("surgeries:reschedule", args=[booking.pk]), {"slot": later.pk}, follow=True)

    assert "Your booking has moved to the new time." in response.content.decode()
    assert Booking.objects.get(learner=learner, status=Booking.Status.ACTIVE).slot_id == later.pk


def test_reschedule_without_choice_shows_message_next_to_field(client, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)
    client.force_login(learner)

    response = client.post(reverse("surgeries:reschedule", args=[booking.pk]), {})

    assert "This field is required." in response.content.decode()


def test_reschedule_stranger_is_refused(client, stranger, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(stranger)

    assert client.get(reverse("surgeries:reschedule", args=[booking.pk])).status_code == 404


def test_waiting_list_join_and_leave(client, learner, day):
    client.force_login(learner)

    joined = client.post(reverse("surgeries:waiting_join", args=[day.pk]), {"note": ""}, follow=True)
    left = client.post(reverse("surgeries:waiting_leave", args=[day.pk]), follow=True)

    assert "You are on the waiting list." in joined.content.decode()
    assert "You have left the waiting list." in left.content.decode()


def test_waiting_list_join_requires_login(client, day):
    response = client.post(reverse("surgeries:waiting_join", args=[day.pk]))

    assert response.status_code == 302


def test_programme_shows_names_only_to_organisers_and_the_pair(client, organiser, learner, stranger, slot):
    booked_slot(slot=slot, learner=learner)
    url = reverse("surgeries:programme", args=[slot.day_id])

    client.force_login(organiser)
    as_organiser = client.get(url).content.decode()
    client.force_login(learner)
    as_learner = client.get(url).content.decode()
    client.force_login(stranger)
    as_stranger = client.get(url).content.decode()

    assert "Booked: Lee Learner" in as_organiser
    assert "Booked: Lee Learner" in as_learner
    assert "Lee Learner" not in as_stranger
    assert "Booked" in as_stranger


@pytest.mark.parametrize("surgeon_count", [1, 15])
def test_programme_query_count_does_not_grow(client, django_assert_num_queries, organiser, day, surgeon_count):
    for _ in range(surgeon_count):
        day_surgeon = DaySurgeonFactory(day=day)
        for index in range(4):
            slot = SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * index))
            if index % 2:
                booked_slot(slot=slot)
    fill_day(day, surgeon_count)
    client.force_login(organiser)

    # session, user, middleware zone, day, access, surgeons, surgeon topics, topics, slots, bookings, booking
    # topics; then the workshops source: workshops, their facilitators, open space
    with django_assert_num_queries(15):
        response = client.get(reverse("surgeries:programme", args=[day.pk]))

    page = response.content.decode()
    assert page.count("Booked:") == surgeon_count * 2
    assert page.count("programme-entry-workshop") == surgeon_count
    assert page.count("programme-entry-open_space") == surgeon_count


def test_programme_shows_slots_workshops_and_open_space_in_time_order(client, day, learner):
    day_surgeon = DaySurgeonFactory(day=day, person__display_name="Sam Surgeon")
    SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(hours=1))
    WorkshopFactory(day=day, title="Privacy settings", starts_at=day.starts_at, capacity=4)
    OpenSpaceFactory(day=day, title="Tea and chat", starts_at=day.starts_at + timedelta(hours=2))
    WorkshopFactory(day=day, title="Called off", status=Workshop.Status.CANCELLED)
    client.force_login(learner)

    page = client.get(reverse("surgeries:programme", args=[day.pk])).content.decode()

    assert page.index("Privacy settings") < page.index("Sam Surgeon") < page.index("Tea and chat")
    assert "4 places left." in page
    assert "Called off" not in page


def test_new_user_gets_unique_booking_per_person(client, slot):
    people = UserFactory.create_batch(2)
    client.force_login(people[0])
    client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {})
    client.force_login(people[1])
    client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {})

    assert Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).count() == 1


# --- once a day has finished ---------------------------------------------------------


def _held_and_finished(organisation, learner, surgeon):
    """A day booked the ordinary way beforehand, held two days ago, then finished by the hourly job."""
    day = past_day(organisation, title="Autumn surgery", status=SurgeryDay.Status.PUBLISHED)
    with time_machine.travel(day.starts_at - timedelta(days=1), tick=False):
        booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon)), learner=learner)
        workshop = WorkshopFactory(day=day, title="Video calls", starts_at=day.starts_at + timedelta(hours=1))
        registered(workshop=workshop, person=learner)
    days_finish_ended()
    return day


def test_day_page_of_a_finished_day_still_shows_your_session_but_offers_no_booking(
    client, organisation, learner, surgeon
):
    day = _held_and_finished(organisation, learner, surgeon)
    client.force_login(learner)

    response = client.get(reverse("surgeries:day_detail", args=[day.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Finished" in page
    assert "You are booked" in page
    assert "with Sam Surgeon" in page
    assert "Free sessions" not in page
    assert "Join the waiting list" not in page


def test_my_bookings_keeps_a_finished_days_session_and_workshop_place_under_past(
    client, organisation, learner, surgeon
):
    _held_and_finished(organisation, learner, surgeon)
    client.force_login(learner)

    page = client.get(reverse("surgeries:my_bookings")).content.decode()

    past = page.split('id="past-heading"')[1]
    assert "Autumn surgery, with Sam Surgeon (booked)" in past
    assert "Video calls</a> (participant)" in past
