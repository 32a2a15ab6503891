from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from surgeries.models import Commitment, SurgeryDay
from surgeries.services import days_finish_ended
from tests.factories import (
    OpenSpaceFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    facilitating,
    fill_day,
    local_datetime,
    log_in_as,
    past_day,
    registered,
)
from workshops import services
from workshops.models import Registration, Workshop, WorkshopFacilitator, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db

PERSONAS = ["organiser", "surgeon", "learner", "other_organiser", "stranger", "anonymous"]
ORGANISER_ONLY = {
    "organiser": 200,
    "surgeon": 403,
    "learner": 403,
    "other_organiser": 404,
    "stranger": 404,
}


@pytest.fixture
def workshop(day):
    return WorkshopFactory(day=day, title="Taking better photos on your phone", capacity=2)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def form_data(**changes) -> dict:
    data = {
        "title": "Wellbeing and boundaries online",
        "description": "How to look after yourself online.",
        "room": "Room 2",
        "starts_at": "11:00",
        "ends_at": "12:00",
        "capacity": "12",
        "accessibility_notes": "",
        "online_link": "",
    }
    return {**data, **changes}


# --- permissions, view by view ----------------------------------------------


ORGANISER_PAGES = [
    ("workshops:workshop_new", "day"),
    ("workshops:open_space_new", "day"),
    ("workshops:workshop_edit", "workshop"),
    ("workshops:workshop_cancel", "workshop"),
    ("workshops:open_space_edit", "open_space"),
]


def _url(name: str, target: str, day, workshop, open_space) -> str:
    kwargs = {
        "day": {"day_id": day.pk},
        "workshop": {"workshop_id": workshop.pk},
        "open_space": {"open_space_id": open_space.pk},
    }[target]
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "target"), ORGANISER_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_organiser_pages_permissions(client, request, day, workshop, name, target, persona):
    url = _url(name, target, day, workshop, OpenSpaceFactory(day=day))
    log_in_as(client, request, persona)

    response = client.get(url)

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == ORGANISER_ONLY[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_space_delete_permissions(client, request, day, persona):
    block = OpenSpaceFactory(day=day)
    log_in_as(client, request, persona)

    response = client.post(reverse("workshops:open_space_delete", kwargs={"open_space_id": block.pk}))

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == {**ORGANISER_ONLY, "organiser": 302}[persona]
    assert day.open_spaces.exists() == (persona != "organiser")


@pytest.mark.parametrize("persona", PERSONAS)
def test_workshop_cancel_post_is_for_organisers_only(client, request, workshop, learner, persona):
    registered(workshop=workshop, person=learner)
    log_in_as(client, request, persona)

    response = client.post(reverse("workshops:workshop_cancel", kwargs={"workshop_id": workshop.pk}))

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == {**ORGANISER_ONLY, "organiser": 302}[persona]
    workshop.refresh_from_db()
    assert workshop.is_active == (persona != "organiser")


@pytest.mark.parametrize("persona", PERSONAS)
def test_workshop_edit_post_is_for_organisers_only(client, request, workshop, persona):
    log_in_as(client, request, persona)

    response = client.post(reverse("workshops:workshop_edit", kwargs={"workshop_id": workshop.pk}), form_data())

    if persona == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == {**ORGANISER_ONLY, "organiser": 302}[persona]
    workshop.refresh_from_db()
    assert (workshop.title == "Wellbeing and boundaries online") == (persona == "organiser")


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


# --- organisers' forms -------------------------------------------------------


def test_workshop_new_saves_in_venue_time_with_facilitator(client, organiser, day, surgeon):
    client.force_login(organiser)

    response = client.post(
        reverse("workshops:workshop_new", kwargs={"day_id": day.pk}), form_data(facilitators=[surgeon.pk])
    )

    assert response.status_code == 302
    workshop = Workshop.objects.get()
    local_day = day.starts_at.date()
    assert (workshop.starts_at, workshop.ends_at) == (local_datetime(local_day, 11), local_datetime(local_day, 12))
    assert WorkshopFacilitator.objects.get().person == surgeon
    assert Commitment.objects.get(person=surgeon).role == "facilitator"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give the workshop a title."),
        ({"capacity": "0"}, "capacity", "At least one person must be able to take part."),
        ({"ends_at": "10:30", "starts_at": "11:00"}, "ends_at", "The end time must be after the start time."),
        ({"starts_at": "08:00", "ends_at": "09:00"}, "starts_at", "The times must be within the surgery day."),
        (
            {"online_link": "not a link"},
            "online_link",
            "Enter a full web address, such as https://meet.example.org/room.",
        ),
        ({"starts_at": "soon"}, "starts_at", "Enter a time such as 11:00."),
    ],
)
def test_workshop_new_shows_plain_errors_next_to_the_field(client, organiser, day, changes, field, message):
    client.force_login(organiser)

    response = client.post(reverse("workshops:workshop_new", kwargs={"day_id": day.pk}), form_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Workshop.objects.count() == 0


def test_workshop_new_busy_facilitator_error_is_next_to_facilitators(client, organiser, day, surgeon):
    WorkshopFactory(day=day, starts_at=local_datetime(day.starts_at.date(), 11))
    registered(workshop=Workshop.objects.get(), person=surgeon)
    client.force_login(organiser)

    response = client.post(
        reverse("workshops:workshop_new", kwargs={"day_id": day.pk}), form_data(facilitators=[surgeon.pk])
    )

    assert response.context["form"].errors["facilitators"] == ["Sam Surgeon already has something booked at this time."]
    assert Workshop.objects.count() == 1


def test_workshop_form_offers_only_the_organisations_people(client, organiser, day, surgeon, other_organiser):
    client.force_login(organiser)

    form = client.get(reverse("workshops:workshop_new", kwargs={"day_id": day.pk})).context["form"]

    people = list(form.fields["facilitators"].queryset)
    assert surgeon in people
    assert other_organiser not in people


def test_workshop_edit_capacity_error_is_next_to_capacity(client, organiser, workshop):
    registered(workshop=workshop)
    registered(workshop=workshop)
    client.force_login(organiser)

    response = client.post(
        reverse("workshops:workshop_edit", kwargs={"workshop_id": workshop.pk}), form_data(capacity="1")
    )

    assert response.context["form"].errors["capacity"] == ["2 people already have places, so there must be at least 2."]


def test_workshop_cancel_releases_places(client, organiser, workshop, learner):
    registered(workshop=workshop, person=learner)
    client.force_login(organiser)

    response = client.post(reverse("workshops:workshop_cancel", kwargs={"workshop_id": workshop.pk}), follow=True)

    assert "1 place was released" in response.content.decode()
    assert Commitment.objects.filter(person=learner, is_active=True).count() == 0


def test_open_space_new_shows_on_the_day_list(client, organiser, day):
    client.force_login(organiser)

    response = client.post(
        reverse("workshops:open_space_new", kwargs={"day_id": day.pk}),
        {"title": "Tea and chat", "room": "Main hall", "starts_at": "13:00", "ends_at": "14:00"},
        follow=True,
    )

    assert "Tea and chat" in response.content.decode()
    assert "No need to register" in response.content.decode()


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


def test_organiser_form_times_across_the_clock_change_are_stored_in_utc(client, organiser, organisation):
    day = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(date(2031, 3, 30), 10),  # the clocks went forward at 01:00 GMT
        ends_at=local_datetime(date(2031, 3, 30), 15),
    )
    client.force_login(organiser)

    client.post(reverse("workshops:workshop_new", kwargs={"day_id": day.pk}), form_data())

    assert Workshop.objects.get().starts_at.isoformat() == "2031-03-30T10:00:00+00:00"


# --- query counts -------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_day_workshops_query_count_is_fixed(client, django_assert_num_queries, day, count):
    fill_day(day, count)

    # the venue's zone for the time-zone middleware, the day (with organisation and
    # venue), workshops with places, facilitators, open space
    with django_assert_num_queries(5):
        response = client.get(reverse("workshops:day_workshops", kwargs={"day_id": day.pk}))

    assert response.content.decode().count("programme-item") == 2 * count
