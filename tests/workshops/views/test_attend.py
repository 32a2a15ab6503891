from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from surgeries.models import SurgeryDay
from surgeries.services import days_finish_ended
from tests.factories import (
    ORGANISER_ONLY,
    SIGNED_IN_PERSONAS,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    assert_login_redirect,
    facilitating,
    fill_day,
    local_datetime,
    log_in_as,
    past_day,
    registered,
)
from workshops import services
from workshops.models import Registration, Workshop, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db

PERSONAS = [*SIGNED_IN_PERSONAS, "anonymous"]


# --- permissions, view by view ----------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_attendee_register_permissions(client, request, workshop, persona):
    log_in_as(client, request, persona)

    response = client.get(reverse("workshops:attendee_register", kwargs={"workshop_id": workshop.pk}))

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == ORGANISER_ONLY[persona]


def test_attendee_register_shows_facilitator_display_names_only(client, organiser, day, surgeon, learner):
    workshop = services.workshop_create(
        day=day,
        by=organiser,
        details=services.WorkshopDetails(
            title="Blogging",
            description="Start a blog.",
            room="Room 1",
            starts_at=day.starts_at,
            ends_at=day.starts_at + timedelta(hours=1),
            capacity=5,
            facilitator_ids=[surgeon.pk],
        ),
    )
    registered(workshop=workshop, person=learner)
    client.force_login(surgeon)

    page = client.get(reverse("workshops:attendee_register", kwargs={"workshop_id": workshop.pk})).content.decode()

    assert "Lee Learner" in page
    assert learner.email not in page
    assert "1 of 5 places taken." in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_of_a_published_day_are_open_to_everyone(client, request, day, workshop, persona):
    log_in_as(client, request, persona)

    listing = client.get(reverse("workshops:day_workshops", kwargs={"day_id": day.pk}))
    detail = client.get(reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk}))

    assert (listing.status_code, detail.status_code) == (200, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_of_a_finished_day_stay_open_to_everyone(client, request, organisation, persona):
    workshop = WorkshopFactory(day=past_day(organisation, status=SurgeryDay.Status.PUBLISHED))
    days_finish_ended()
    log_in_as(client, request, persona)

    listing = client.get(reverse("workshops:day_workshops", kwargs={"day_id": workshop.day_id}))
    detail = client.get(reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk}))

    assert (listing.status_code, detail.status_code) == (200, 200)


def test_finished_days_workshop_keeps_its_register_for_the_facilitator_and_offers_no_cancelling(
    client, organisation, organiser, surgeon, learner
):
    day = past_day(organisation, status=SurgeryDay.Status.PUBLISHED)
    workshop = WorkshopFactory(day=day, title="Blogging")
    facilitating(workshop=workshop, person=surgeon)
    with time_machine.travel(day.starts_at - timedelta(days=1), tick=False):
        registered(workshop=workshop, person=learner)
    days_finish_ended()
    detail_url = reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk})

    client.force_login(surgeon)
    as_facilitator = client.get(detail_url).content.decode()
    register = client.get(reverse("workshops:attendee_register", kwargs={"workshop_id": workshop.pk}))
    client.force_login(organiser)
    as_organiser = client.get(detail_url).content.decode()

    assert "Who is coming" in as_facilitator
    assert register.status_code == 200
    assert "Lee Learner" in register.content.decode()
    assert "Who is coming" in as_organiser
    assert "Cancel the workshop" not in as_organiser
    assert "Change the workshop" not in as_organiser


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_of_a_draft_day_are_for_its_organisers_only(client, request, organisation, persona):
    workshop = WorkshopFactory(day=SurgeryDayFactory(organisation=organisation, status=SurgeryDay.Status.DRAFT))
    log_in_as(client, request, persona)

    listing = client.get(reverse("workshops:day_workshops", kwargs={"day_id": workshop.day_id}))
    detail = client.get(reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk}))

    expected = 200 if persona == "organiser" else 404
    assert (listing.status_code, detail.status_code) == (expected, expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_register_needs_login_and_then_anyone_may_take_a_place(client, request, workshop, persona):
    log_in_as(client, request, persona)

    response = client.post(reverse("workshops:register", kwargs={"workshop_id": workshop.pk}))

    if persona == "anonymous":
        assert_login_redirect(response)
        assert Registration.objects.count() == 0
    else:
        assert response.status_code == 302
        assert Registration.objects.get().person == request.getfixturevalue(persona)


def test_register_get_is_not_allowed(client, learner, workshop):
    client.force_login(learner)

    response = client.get(reverse("workshops:register", kwargs={"workshop_id": workshop.pk}))

    assert response.status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_own_registration_pages_are_for_the_person_only(client, request, workshop, persona):
    registration = registered(workshop=workshop, person=UserFactory(display_name="Owner"))
    log_in_as(client, request, persona)

    cancel = client.get(reverse("workshops:registration_cancel", kwargs={"registration_id": registration.pk}))
    ics = client.get(reverse("workshops:registration_ics", kwargs={"registration_id": registration.pk}))

    if persona == "anonymous":
        assert_login_redirect(cancel)
        assert_login_redirect(ics)
    else:
        assert (cancel.status_code, ics.status_code) == (404, 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_workshops_needs_login(client, request, persona):
    log_in_as(client, request, persona)

    response = client.get(reverse("workshops:my_workshops"))

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name", ["waiting_join", "waiting_leave"])
def test_waiting_list_needs_login(client, workshop, name):
    assert_login_redirect(client.post(reverse(f"workshops:{name}", kwargs={"workshop_id": workshop.pk})))


# --- attendees ---------------------------------------------------------------


def test_full_workshop_offers_waiting_list_then_promotes_on_cancel(client, workshop, learner):
    first, second = registered(workshop=workshop), registered(workshop=workshop)
    client.force_login(learner)
    detail = reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk})

    refused = client.post(reverse("workshops:register", kwargs={"workshop_id": workshop.pk}), follow=True)
    assert "This workshop is full — join the waiting list." in refused.content.decode()
    client.post(reverse("workshops:waiting_join", kwargs={"workshop_id": workshop.pk}))
    assert "You are on the waiting list" in client.get(detail).content.decode()

    services.registration_cancel(registration_id=first.pk, by=first.person)

    assert "You have a place at this workshop." in client.get(detail).content.decode()
    assert WorkshopWaitingEntry.objects.get().status == "registered"
    assert second.is_active


def test_registration_cancel_by_owner(client, learner, workshop):
    registration = registered(workshop=workshop, person=learner)
    client.force_login(learner)

    response = client.post(reverse("workshops:registration_cancel", kwargs={"registration_id": registration.pk}))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_my_workshops_lists_upcoming_and_waiting(client, learner, day):
    registered(workshop=WorkshopFactory(day=day, title="Blogging basics"), person=learner)
    full = WorkshopFactory(day=day, title="Podcasts", capacity=1, starts_at=day.starts_at + timedelta(hours=2))
    registered(workshop=full)
    services.waiting_list_join(workshop_id=full.pk, person=learner)
    client.force_login(learner)

    page = client.get(reverse("workshops:my_workshops")).content.decode()

    assert "Blogging basics" in page
    assert "Podcasts" in page
    assert "Leave the waiting list" in page


def test_registration_ics_has_utc_times_and_venue_zone(client, learner, organisation):
    day = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(date(2031, 7, 1), 10),
        ends_at=local_datetime(date(2031, 7, 1), 15),
    )
    workshop = WorkshopFactory(day=day, title="Video and podcasts", starts_at=local_datetime(date(2031, 7, 1), 11))
    registration = registered(workshop=workshop, person=learner)
    client.force_login(learner)

    response = client.get(reverse("workshops:registration_ics", kwargs={"registration_id": registration.pk}))

    body = response.content.decode().replace("\r\n ", "")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "DTSTART:20310701T100000Z" in body
    assert "DTEND:20310701T110000Z" in body
    assert "SUMMARY:Workshop: Video and podcasts (11:00 BST)" in body
    assert "Tuesday 1 July 2031\\, 11:00 BST to 12:00 BST (Europe/London)" in body


def test_times_are_shown_in_venue_zone_across_the_clock_change(client, organisation):
    """The day after the clocks go back (Sunday 26 October 2031), 11:00 is GMT, not BST."""
    before = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(date(2031, 10, 25), 10),
        ends_at=local_datetime(date(2031, 10, 25), 15),
    )
    after = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(date(2031, 10, 27), 10),
        ends_at=local_datetime(date(2031, 10, 27), 15),
    )
    for day in (before, after):
        WorkshopFactory(day=day, starts_at=local_datetime(day.starts_at.date(), 11))

    before_page = client.get(reverse("workshops:day_workshops", kwargs={"day_id": before.pk})).content.decode()
    after_page = client.get(reverse("workshops:day_workshops", kwargs={"day_id": after.pk})).content.decode()

    assert "11:00 BST to 12:00 BST" in before_page
    assert "11:00 GMT to 12:00 GMT" in after_page
    assert Workshop.objects.get(day=before).starts_at.hour == 10  # UTC
    assert Workshop.objects.get(day=after).starts_at.hour == 11


# --- query counts -------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_day_workshops_query_count_is_fixed(client, django_assert_num_queries, day, count):
    fill_day(day, count)

    # the venue's zone for the time-zone middleware, the day (with organisation and
    # venue), workshops with places, facilitators, open space
    with django_assert_num_queries(5):
        response = client.get(reverse("workshops:day_workshops", kwargs={"day_id": day.pk}))

    assert response.content.decode().count("programme-item") == 2 * count
