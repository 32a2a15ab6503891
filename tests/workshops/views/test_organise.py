"""Organisers' pages for workshops and open space: who may open them, and the forms."""

from datetime import date

import pytest
from django.urls import reverse

from surgeries.models import Commitment
from tests.factories import (
    ORGANISER_ONLY,
    SIGNED_IN_PERSONAS,
    OpenSpaceFactory,
    SurgeryDayFactory,
    WorkshopFactory,
    assert_login_redirect,
    local_datetime,
    log_in_as,
    registered,
)
from workshops.models import Workshop, WorkshopFacilitator

pytestmark = pytest.mark.django_db

PERSONAS = [*SIGNED_IN_PERSONAS, "anonymous"]


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


# --- permissions, view by view -----------------------------------------------


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


def test_organiser_form_times_across_the_clock_change_are_stored_in_utc(client, organiser, organisation):
    day = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(date(2031, 3, 30), 10),  # the clocks went forward at 01:00 GMT
        ends_at=local_datetime(date(2031, 3, 30), 15),
    )
    client.force_login(organiser)

    client.post(reverse("workshops:workshop_new", kwargs={"day_id": day.pk}), form_data())

    assert Workshop.objects.get().starts_at.isoformat() == "2031-03-30T10:00:00+00:00"
