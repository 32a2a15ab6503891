"""The desk's "Book for someone" pages, the walk-in's limit tick box, and who sees phone numbers."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import User
from surgeries.models import Booking
from surgeries.services import Someone, booking_create, booking_for_someone
from tests.factories import DaySurgeonFactory, SlotFactory, member

pytestmark = pytest.mark.django_db


def _url(day):
    return reverse("surgeries:desk_book_for", args=[day.pk])


def _form(slot, **fields):
    return {"slot": slot.pk, "on_behalf": "phone", "consent": "on", **fields}


def _phone_booking(day, organiser, slot, **someone):
    return booking_for_someone(
        day=day, by=organiser, someone=Someone(**someone), slot_id=slot.pk, on_behalf="phone", consent=True
    ).booking


@pytest.mark.parametrize(
    ("persona", "status"), [("learner", 403), ("surgeon", 403), ("other_organiser", 404), ("stranger", 404)]
)
def test_book_for_someone_refuses_everyone_but_organisers(client, request, day, organiser, slot, persona, status):
    booking = _phone_booking(day, organiser, slot, display_name="Pat", phone="07700 900123")
    client.force_login(request.getfixturevalue(persona))
    later = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=slot.starts_at + timedelta(hours=1))

    assert client.get(_url(day)).status_code == status
    assert client.post(_url(day), _form(later, display_name="X", phone="07700 900999")).status_code == status
    assert client.get(reverse("surgeries:desk_booked_for", args=[day.pk, booking.pk])).status_code == status
    assert Booking.objects.count() == 1


def test_book_for_someone_sends_the_signed_out_to_log_in(client, day):
    response = client.get(_url(day))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path", ["organise/days/999999/desk/book-for-someone/", "organise/days/1/desk/book-for-someone/x/"]
)
def test_book_for_someone_malformed_or_missing_day_is_not_found(client, organiser, path):
    client.force_login(organiser)

    assert client.get(f"/{path}").status_code == 404


def test_the_booked_page_of_another_days_booking_is_not_found(client, organiser, day, slot, learner):
    booking = booking_create(slot_id=slot.pk, learner=learner)
    other_day = SlotFactory(day_surgeon=DaySurgeonFactory(day__organisation=day.organisation)).day
    client.force_login(organiser)

    assert client.get(reverse("surgeries:desk_booked_for", args=[other_day.pk, booking.pk])).status_code == 404


def test_phone_only_booking_tells_the_organiser_to_tell_them_the_time(client, organiser, day, slot):
    client.force_login(organiser)

    response = client.post(_url(day), _form(slot, display_name="Pat Phone", phone="07700 900123"), follow=True)

    page = response.content.decode()
    booking = Booking.objects.get()
    assert (booking.learner.display_name, booking.on_behalf, booking.booked_by) == ("Pat Phone", "phone", organiser)
    assert "No email: tell them the time yourself" in page
    assert "07700 900123" in page
    assert mail.outbox == [] or all(m.to != [booking.learner.email] for m in mail.outbox)


def test_booking_with_an_email_says_they_were_emailed(client, organiser, day, slot):
    client.force_login(organiser)

    response = client.post(_url(day), _form(slot, display_name="Ema", email="ema@example.org"), follow=True)

    page = response.content.decode()
    assert "We have emailed them the confirmation and a one-time link" in page
    assert "No email" not in page


def test_searching_by_name_offers_members_to_pick(client, organiser, day, slot):
    sam = member(day.organisation, display_name="Sam Brown")
    member(day.organisation, display_name="Alex Green")
    client.force_login(organiser)

    page = client.get(_url(day), {"q": "sam"}).content.decode()
    response = client.post(f"{_url(day)}?q=sam", _form(slot, member=sam.pk))

    assert "Sam Brown" in page and "Alex Green" not in page
    assert response.status_code == 302
    assert Booking.objects.get().learner == sam


def test_search_queries_do_not_grow_with_the_members_found(client, organiser, day, slot, django_assert_num_queries):
    client.force_login(organiser)
    member(day.organisation, display_name="Sam 1")
    client.get(_url(day), {"q": "sam"})  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        client.get(_url(day), {"q": "sam"})
    for n in range(2, 12):
        member(day.organisation, display_name=f"Sam {n}")

    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(_url(day), {"q": "sam"}).content.decode()

    assert "Sam 11" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"display_name": "Pat", "phone": "call me"}, "Please give a phone number we can call"),
        ({"display_name": "Pat"}, "Please give an email address or a phone number"),
        ({"phone": "07700 900123"}, "This is a new person: please give their name."),
        ({"display_name": "Pat", "phone": "07700 900123", "consent": ""}, "Please ask them, and tick to confirm"),
        ({"display_name": "Pat", "phone": "07700 900123", "on_behalf": ""}, "Please say how they asked"),
        ({"display_name": "Pat", "phone": "07700 900123", "member": "abc"}, "Please choose someone from the search"),
    ],
)
def test_bad_input_shows_a_clear_message_and_saves_nothing(client, organiser, day, slot, fields, message):
    client.force_login(organiser)
    people_before = User.objects.count()

    response = client.post(_url(day), _form(slot, **fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == people_before
    assert not Booking.objects.exists()


def test_a_taken_slot_shows_a_clear_message_and_saves_nothing(client, organiser, learner, day, slot):
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=slot.starts_at)  # another, still free
    booking_create(slot_id=slot.pk, learner=learner)
    client.force_login(organiser)
    people_before = User.objects.count()

    response = client.post(_url(day), _form(slot, display_name="Pat", phone="07700 900123"))

    assert "That session is no longer free. Please choose another." in response.content.decode()
    assert User.objects.count() == people_before
    assert Booking.objects.count() == 1


def test_a_number_a_member_has_asks_is_this_them_then_books_them(client, organiser, day, slot):
    sam = member(day.organisation, display_name="Sam B", phone="+447700900123")
    client.force_login(organiser)
    fields = _form(slot, display_name="Sam", phone="07700 900123")

    asked = client.post(_url(day), fields).content.decode()
    answered = client.post(_url(day), {**fields, "phone_match": "same", "phone_match_id": sam.pk})

    assert "Sam B already has this phone number. Is this Sam B?" in asked
    assert f'name="phone_match_id" value="{sam.pk}"' in asked
    assert answered.status_code == 302
    assert Booking.objects.get().learner == sam


def test_the_desk_and_the_attendee_list_show_the_number_to_the_days_organisers(client, organiser, day, slot):
    _phone_booking(day, organiser, slot, display_name="Pat Phone", phone="07700 900123")
    client.force_login(organiser)

    desk = client.get(reverse("surgeries:desk", args=[day.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("surgeries:attendees_csv", args=[day.pk])).content.decode())))

    assert "07700 900123" in desk and "booked for them by phone" in desk
    phone, how = rows[0].index("Phone"), rows[0].index("Booked for them")
    assert (rows[1][phone], rows[1][how]) == ("07700 900123", "By phone")


def test_a_number_given_elsewhere_is_not_shown_beside_a_session_they_booked_themselves(
    client, organiser, day, slot, learner
):
    """They agreed to the organisers who booked for them keeping the number, for that
    booking: not to every organiser of every day they book on their own."""
    learner.phone = "+447700900123"
    learner.save(update_fields=["phone"])
    booking_create(slot_id=slot.pk, learner=learner)
    client.force_login(organiser)

    desk = client.get(reverse("surgeries:desk", args=[day.pk])).content.decode()
    listed = client.get(reverse("surgeries:attendees_csv", args=[day.pk])).content.decode()

    assert learner.display_name in desk and learner.display_name in listed
    assert not any(re.search(r"07700|900123|7700900123", page) for page in (desk, listed))


def test_the_number_is_not_shown_to_the_surgeon_or_the_learner(day, organiser, slot, surgeon):
    booking = _phone_booking(day, organiser, slot, display_name="Pat Phone", phone="07700 900123")
    pages = []
    for person in (surgeon, booking.learner):
        viewer = Client()
        viewer.force_login(person)
        pages.append(viewer.get(reverse("surgeries:my_bookings")).content.decode())
        pages.append(viewer.get(reverse("surgeries:day_sheet", args=[day.pk])).content.decode())

    assert not any(re.search(r"07700|900123|7700900123", page) for page in pages)


# --- the walk-in's limit ----------------------------------------------------------------


def _limited(day, limit=1):
    day.max_sessions_per_learner = limit
    day.save()
    return day


def test_walk_in_form_offers_the_limit_tick_box_only_on_a_day_with_a_limit(client, organiser, day, slot):
    client.force_login(organiser)
    url = reverse("surgeries:desk_walk_in", args=[day.pk])

    without = client.get(url).content.decode()
    _limited(day, 2)
    with_limit = client.get(url).content.decode()

    assert "Book beyond the limit" not in without
    assert "Book beyond the limit of 2 sessions" in with_limit
    assert 'name="beyond_limit"' in with_limit and "checked" not in with_limit.split('name="beyond_limit"')[1][:40]


def test_walk_in_beyond_the_limit_is_refused_unless_ticked(client, organiser, learner, day, slot):
    _limited(day)
    later = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=slot.starts_at + timedelta(hours=1))
    booking_create(slot_id=later.pk, learner=learner)
    client.force_login(organiser)
    url = reverse("surgeries:desk_walk_in", args=[day.pk])
    fields = {"email": learner.email, "display_name": "Lee", "slot": slot.pk, "consent": "on"}

    refused = client.post(url, fields).content.decode()
    count_after_refusal = Booking.objects.filter(learner=learner, status="active").count()
    ticked = client.post(url, {**fields, "beyond_limit": "on"})

    assert "They already have 1 session this day, the most this surgery allows." in refused
    assert "Tick the box to book them beyond the limit." in refused
    assert count_after_refusal == 1
    assert ticked.status_code == 302
    assert Booking.objects.filter(learner=learner, status="active").count() == 2


@pytest.mark.parametrize("known", [True, False])
def test_the_booked_page_reads_the_same_whether_or_not_the_address_has_an_account_elsewhere(
    client, organiser, day, slot, known, stranger
):
    address = stranger.email if known else "nobody-yet@example.org"
    client.force_login(organiser)

    response = client.post(_url(day), _form(slot, display_name="Kim", email=address), follow=True)

    page = response.content.decode()
    assert "Kim is booked" in page
    assert "We have emailed them the confirmation and a one-time link" in page
