from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surgeries.models import Booking, Slot, SurgeryDay
from tests.factories import (
    DaySurgeonFactory,
    OpenSpaceFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_big_day,
    booked_slot,
    every_time_offered,
    facilitating,
    fill_day,
    held_and_finished_day,
    member,
    past_day,
    registered,
)
from workshops.models import Workshop, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db


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

    # session, user, navigation (first page only), feed, bookings, waiting list;
    # workshop places, workshops run, workshop waiting list
    with django_assert_num_queries(9):
        response = client.get(reverse("surgeries:my_bookings"))

    page = response.content.decode()
    assert page.count("Change time<") == booking_count
    assert page.count('class="agenda-workshop"') == booking_count * 2
    assert page.count("Your role: </span>Facilitator</td>") == booking_count
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
    assert "Your role: </span>Facilitator</td>" in row
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


def test_programme_kept_in_the_cache_keeps_names_to_organisers_and_the_pair(
    client, organisation, organiser, learner, surgeon, slot
):
    other_member = member(organisation, display_name="Mo Member")
    url = reverse("surgeries:programme", args=[slot.day_id])
    client.get(url)  # a visitor fills the cache before the booking
    booked_slot(slot=slot, learner=learner)

    pages = {}
    for persona in (None, organiser, learner, surgeon, other_member, None):
        client.logout()
        if persona:
            client.force_login(persona)
        pages.setdefault(persona.email if persona else "visitor", []).append(client.get(url).content.decode())

    named = {who for who, seen in pages.items() if any("Booked: Lee Learner" in page for page in seen)}
    assert named == {organiser.email, learner.email, surgeon.email}
    assert all("Booked" in page and "Lee Learner" not in page for page in pages["visitor"])


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

    # middleware zone, session, user, day, access, the surgeons' order, surgeons, slots, bookings; then the
    # workshops source: workshops, their facilitators, open space; the day's breaks, the "Organise" menu link
    with django_assert_num_queries(14):
        client.get(reverse("surgeries:programme", args=[day.pk]))
    # Once kept in the cache: zone, day, session, user, the organiser's standing, the day's breaks.
    with django_assert_num_queries(6):
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


def test_my_bookings_keeps_a_finished_days_session_and_workshop_place_under_past(
    client, organisation, learner, surgeon
):
    held_and_finished_day(organisation, learner, surgeon)
    client.force_login(learner)

    page = client.get(reverse("surgeries:my_bookings")).content.decode()

    past = page.split('id="past-heading"')[1]
    assert "Autumn surgery, with Sam Surgeon (booked)" in past
    assert "Video calls</a> (participant)" in past


def _programme(client, day, query: str = ""):
    return client.get(reverse("surgeries:programme", args=[day.pk]) + query)


@pytest.mark.parametrize("persona", ["organiser", "learner", "anonymous"])
@pytest.mark.parametrize("query", ["", "?view=full", "?view=full&page=4", "?view=full&page=99"])
def test_programme_of_a_big_day_stays_small_with_the_same_queries(
    client, django_assert_num_queries, request, day, persona, query
):
    day = booked_big_day(day.organisation)
    WorkshopFactory(day=day)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    # Hour by hour: zone, day, the surgeons' order, the hour counts, workshops, facilitators, open space, breaks.
    # Every session: surgeons, slots and bookings instead of the hour counts. Signed in: session, user, the
    # viewer's standing in the organisation and the "Organise" menu link; a learner's own sessions' names.
    signed_in = 0 if persona == "anonymous" else 4 + (persona == "learner" and query != "")
    with django_assert_num_queries((8 if query == "" else 10) + signed_in):
        _programme(client, day, query)
    # Then the programme comes from the cache: zone, day, breaks; signed in, as before less the menu link.
    # A visitor gets the whole page kept for visitors, without a query.
    with django_assert_num_queries(0 if persona == "anonymous" else 3 + signed_in - 1):
        response = _programme(client, day, query)

    assert response.status_code == 200
    assert len(response.content) < 100_000


def test_programme_of_a_big_day_opens_hour_by_hour_without_names(client, organiser, day):
    day = booked_big_day(day.organisation)
    client.force_login(organiser)

    page = _programme(client, day).content.decode()

    assert "Hour by hour</a>" in page and 'aria-current="page" href="?view=compact"' in page
    assert "Learner 000" not in page
    assert "10:00 to 11:00" in page


def test_programme_full_view_of_a_big_day_shows_one_page_of_surgeons_with_names_for_organisers(client, organiser, day):
    day = booked_big_day(day.organisation)
    client.force_login(organiser)

    first = _programme(client, day, "?view=full").content.decode()
    last = _programme(client, day, "?view=full&page=999").content.decode()

    assert "Surgeons 1 to 25 of 250, by name." in first
    assert "Surgeon 000:" in first and "Surgeon 025:" not in first
    assert "Booked: Learner 000" in first
    assert "Surgeons 226 to 250 of 250, by name." in last


def test_programme_ignores_an_unknown_view_with_a_notice(client, learner, slot):
    client.force_login(learner)

    response = _programme(client, slot.day, "?view=everything&page=x")

    assert response.status_code == 200
    page = response.content.decode()
    assert "That view of the programme is not one we know, so it shows the usual one." in page
    assert "Sam Surgeon:" in page


def test_programme_of_a_draft_day_is_refused_to_all_but_organisers(client, learner, stranger, organisation):
    draft = SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT)

    for who in (learner, stranger):
        client.force_login(who)
        assert _programme(client, draft, "?view=compact").status_code == 404


def test_reschedule_on_a_big_day_offers_an_hour_at_a_time_and_stays_small(client, learner, day):
    day = booked_big_day(day.organisation)
    slot = Slot.objects.filter(day=day, bookings__isnull=True).order_by("starts_at").first()
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(learner)

    pages = every_time_offered(client, reverse("surgeries:reschedule", args=[booking.pk]))

    assert len(pages) > 5
    assert max(len(page.encode()) for page in pages.values()) < 100_000
    assert all('name="slot"' in page for page in pages.values())


def test_reschedule_takes_a_free_slot_outside_the_hour_shown(client, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    later = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at + timedelta(hours=3))
    SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)
    client.force_login(learner)

    client.post(reverse("surgeries:reschedule", args=[booking.pk]), {"slot": later.pk})

    assert Booking.objects.get(learner=learner, status=Booking.Status.ACTIVE).slot == later
