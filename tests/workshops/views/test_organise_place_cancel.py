"""Organisers cancelling one person's place from the workshop's register."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from outbox.models import Notification
from people.models import Membership
from tests.factories import (
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    facilitating,
    log_in_as,
    member,
    registered,
    status_of,
)
from tests.mail import mail_to
from workshops import services
from workshops.models import Registration, WorkshopWaitingEntry
from workshops.notifications import PLACE_CANCELLED, WAITING_LIST_PLACE

pytestmark = pytest.mark.django_db

# Everyone who might try, with what they get. Facilitators run the workshop but
# only organisers take people off it; participants include the person themself.
PERSONAS = {
    "organiser": 200,
    "facilitator": 403,
    "learner": 403,
    "participant": 403,
    "surgeon": 403,
    "other_organiser": 404,
    "stranger": 404,
    "anonymous": None,
}


@pytest.fixture
def workshop(organisation):
    day = SurgeryDayFactory(organisation=organisation, title="Winter surgery")
    return WorkshopFactory(day=day, title="Staying safe online", capacity=2)


@pytest.fixture
def facilitator(organisation, workshop):
    person = member(organisation, role=Membership.Role.SURGEON, display_name="Fran Facilitator")
    facilitating(workshop=workshop, person=person)
    return person


@pytest.fixture
def participant(organisation, workshop):
    person = member(organisation, display_name="Pat Participant")
    registered(workshop=workshop, person=person)
    return person


@pytest.fixture
def place(workshop, learner):
    return registered(workshop=workshop, person=learner)


def _url(place: Registration) -> str:
    return reverse("workshops:place_cancel", kwargs={"workshop_id": place.workshop_id, "registration_id": place.pk})


def _register_url(workshop) -> str:
    return reverse("workshops:attendee_register", kwargs={"workshop_id": workshop.pk})


# --- who may -------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_place_cancel_page_is_for_the_organisations_organisers_only(client, request, place, persona):
    log_in_as(client, request, persona)

    response = client.get(_url(place))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == PERSONAS[persona]
    assert status_of(place) == Registration.Status.ACTIVE


@pytest.mark.parametrize("persona", PERSONAS)
def test_place_cancel_post_is_for_the_organisations_organisers_only(client, request, place, persona):
    log_in_as(client, request, persona)

    response = client.post(_url(place))

    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == {**PERSONAS, "organiser": 302}[persona]
    expected = Registration.Status.CANCELLED if persona == "organiser" else Registration.Status.ACTIVE
    assert status_of(place) == expected


def test_place_cancel_of_a_place_in_another_workshop_is_not_found(client, organiser, workshop, place):
    elsewhere = WorkshopFactory(day=workshop.day, starts_at=workshop.ends_at)
    client.force_login(organiser)

    url = reverse("workshops:place_cancel", kwargs={"workshop_id": elsewhere.pk, "registration_id": place.pk})

    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
    assert status_of(place) == Registration.Status.ACTIVE


def test_place_cancel_needs_the_csrf_token(organiser, place):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    response = client.post(_url(place))

    assert response.status_code == 403
    assert status_of(place) == Registration.Status.ACTIVE


# --- asking, then cancelling ---------------------------------------------------------


def test_place_cancel_get_asks_and_says_what_will_happen_without_cancelling(client, organiser, place):
    client.force_login(organiser)

    page = client.get(_url(place)).content.decode()

    assert "Cancel Lee Learner's place at “Staying safe online”?" in page
    assert "Lee Learner loses their place and is emailed" in page
    assert "Nobody is on the waiting list, so the place becomes free for anyone to take." in page
    assert 'type="submit">Cancel this place</button>' in page
    assert "csrfmiddlewaretoken" in page
    assert status_of(place) == Registration.Status.ACTIVE
    assert not Notification.objects.filter(kind=PLACE_CANCELLED).exists()


def test_place_cancel_get_says_the_waiting_list_gets_the_place(client, organiser, workshop, place, participant):
    services.waiting_list_join(workshop_id=workshop.pk, person=UserFactory())
    client.force_login(organiser)

    page = client.get(_url(place)).content.decode()

    assert "The place goes to the first person on the waiting list (1 waiting), who is emailed too." in page


def test_organiser_cancels_a_place_and_the_waiting_list_gets_it(
    client, organiser, workshop, place, participant, send_due, django_capture_on_commit_callbacks
):
    waiting = UserFactory(display_name="Wendy Waiting")
    services.waiting_list_join(workshop_id=workshop.pk, person=waiting)
    mail.outbox.clear()
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(place), follow=True)
    send_due()

    page = response.content.decode()
    assert response.redirect_chain == [(_register_url(workshop), 302)]
    assert "Lee Learner no longer has a place at “Staying safe online”. They will be emailed." in page
    assert status_of(place) == Registration.Status.CANCELLED
    assert WorkshopWaitingEntry.objects.get(person=waiting).status == WorkshopWaitingEntry.Status.REGISTERED
    assert [m.subject.split(":")[1].strip() for m in mail_to(place.person)] == ["Your place was cancelled"]
    assert Notification.objects.filter(kind=WAITING_LIST_PLACE, recipient=waiting).count() == 1


def test_place_cancel_twice_says_it_is_already_cancelled(client, organiser, place):
    client.force_login(organiser)
    client.post(_url(place))

    again = client.post(_url(place), follow=True).content.decode()
    page = client.get(_url(place), follow=True).content.decode()

    assert "This place has already been cancelled." in again
    assert "This place has already been cancelled." in page
    assert Notification.objects.filter(kind=PLACE_CANCELLED).count() == 1


def test_register_offers_organisers_a_cancel_link_per_person_naming_them(client, organiser, place, participant):
    client.force_login(organiser)

    page = client.get(_register_url(place.workshop)).content.decode()

    assert page.count(">Cancel place<") == 2
    assert 'Cancel place<span class="visually-hidden"> (Lee Learner)</span>' in page
    assert 'Cancel place<span class="visually-hidden"> (Pat Participant)</span>' in page
    assert _url(place) in page


def test_register_offers_facilitators_no_cancel_links(client, facilitator, place):
    client.force_login(facilitator)

    response = client.get(_register_url(place.workshop))

    assert response.status_code == 200
    assert "Lee Learner" in response.content.decode()
    assert "Cancel place" not in response.content.decode()


def test_once_the_workshop_has_started_places_can_no_longer_be_cancelled(client, organiser, workshop, place):
    client.force_login(organiser)

    with time_machine.travel(workshop.starts_at + timedelta(minutes=5), tick=False):
        register = client.get(_register_url(workshop)).content.decode()
        asked = client.get(_url(place), follow=True)
        posted = client.post(_url(place), follow=True).content.decode()

    message = "This workshop has started, so places in it can no longer be cancelled."
    assert "Cancel place" not in register
    assert asked.redirect_chain == [(_register_url(workshop), 302)]
    assert message in asked.content.decode()
    assert message in posted
    assert status_of(place) == Registration.Status.ACTIVE


def test_organiser_may_cancel_a_place_after_the_participants_cut_off(client, organiser, workshop, place):
    client.force_login(organiser)

    with time_machine.travel(workshop.starts_at - timedelta(minutes=5), tick=False):
        page = client.get(_register_url(workshop)).content.decode()
        client.post(_url(place))

    assert "Cancel place" in page
    assert status_of(place) == Registration.Status.CANCELLED


# --- query counts -------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_register_with_cancel_links_runs_a_fixed_number_of_queries(
    client, organiser, workshop, django_assert_num_queries, count
):
    workshop.capacity = count
    workshop.save(update_fields=["capacity"])
    for _ in range(count):
        registered(workshop=workshop)
    client.force_login(organiser)
    client.get(_register_url(workshop))  # the navigation reads once per session, then remembers

    # session, user, workshop with places, facilitators, is organiser, attendees
    with django_assert_num_queries(6):
        response = client.get(_register_url(workshop))

    assert response.content.decode().count(">Cancel place<") == count
