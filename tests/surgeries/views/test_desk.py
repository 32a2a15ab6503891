import re
import zoneinfo
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from people.models import User
from surgeries.models import Booking, DayAggregate
from tests.factories import DaySurgeonFactory, SlotFactory, UserFactory, booked_big_day, booked_slot, every_time_offered

pytestmark = pytest.mark.django_db


def test_desk_check_in_and_undo(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)
    url = reverse("surgeries:desk_check_in", args=[slot.day_id, booking.pk])

    client.post(url)
    booking.refresh_from_db()
    checked_in = booking.checked_in_at
    client.post(url, {"undo": "1"})
    booking.refresh_from_db()

    assert checked_in is not None
    assert booking.checked_in_at is None


def test_desk_no_show_is_recorded_and_cleared(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)
    url = reverse("surgeries:desk_no_show", args=[slot.day_id, booking.pk])

    client.post(url)
    marked = Booking.objects.get(pk=booking.pk).is_no_show
    client.post(url, {"clear": "1"})

    assert marked is True
    assert Booking.objects.get(pk=booking.pk).is_no_show is False


def test_desk_no_show_is_not_shown_to_the_learner(client, organiser, learner, slot):
    booking = booked_slot(slot=slot, learner=learner)
    client.force_login(organiser)
    client.post(reverse("surgeries:desk_no_show", args=[slot.day_id, booking.pk]))
    learner_client = Client()
    learner_client.force_login(learner)

    page = learner_client.get(reverse("surgeries:my_bookings")).content.decode()

    assert "No-show" not in page and "no-show" not in page


def test_desk_walk_in_books_new_person_with_consent(client, organiser, slot):
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:desk_walk_in", args=[slot.day_id]),
        {"email": "walkin@example.org", "display_name": "Wren", "slot": slot.pk, "consent": "on"},
        follow=True,
    )

    person = User.objects.get(email="walkin@example.org")
    assert "Wren is booked in as a walk-in." in response.content.decode()
    assert Booking.objects.get(learner=person).is_walk_in
    assert not person.has_usable_password()


def test_desk_walk_in_without_consent_books_nothing(client, organiser, slot):
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:desk_walk_in", args=[slot.day_id]),
        {"email": "walkin@example.org", "display_name": "Wren", "slot": slot.pk},
    )

    assert "Please ask the person and tick to confirm they agree." in response.content.decode()
    assert not User.objects.filter(email="walkin@example.org").exists()
    assert not Booking.objects.exists()


def test_desk_move_moves_booking_to_free_slot(client, organiser, slot):
    booking = booked_slot(slot=slot)
    later = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)
    client.force_login(organiser)

    client.post(reverse("surgeries:desk_move", args=[slot.day_id, booking.pk]), {"slot": later.pk})

    assert Booking.objects.get(status=Booking.Status.ACTIVE).slot == later


@pytest.mark.parametrize(
    ("persona", "status"), [("learner", 403), ("surgeon", 403), ("other_organiser", 404), ("stranger", 404)]
)
def test_desk_refuses_everyone_but_organisers(client, request, slot, persona, status):
    booking = booked_slot(slot=slot)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("surgeries:desk", args=[slot.day_id])).status_code == status
    assert client.post(reverse("surgeries:desk_check_in", args=[slot.day_id, booking.pk])).status_code == status
    assert client.post(reverse("surgeries:desk_no_show", args=[slot.day_id, booking.pk])).status_code == status
    assert client.get(reverse("surgeries:desk_move", args=[slot.day_id, booking.pk])).status_code == status
    assert client.get(reverse("surgeries:desk_walk_in", args=[slot.day_id])).status_code == status


def test_desk_anonymous_goes_to_login(client, slot):
    response = client.get(reverse("surgeries:desk", args=[slot.day_id]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("booking_count", [1, 20])
def test_desk_query_count_does_not_grow(client, django_assert_num_queries, organiser, day, booking_count):
    for index in range(booking_count):
        booked_slot(
            slot=SlotFactory(
                day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(minutes=30 * (index % 8))
            )
        )
    client.force_login(organiser)

    # zone, session, user, day, access, how many bookings, the page of bookings, the "Organise" menu link
    with django_assert_num_queries(8):
        response = client.get(reverse("surgeries:desk", args=[day.pk]))

    assert response.content.decode().count(">Move<") == booking_count


def _note_url(booking):
    return reverse("surgeries:desk_note", args=[booking.day_id, booking.pk])


def test_organiser_adds_changes_and_removes_a_note_shown_on_the_desk(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)

    response = client.post(_note_url(booking), {"organiser_note": "  Needs the quiet room  "}, follow=True)

    page = response.content.decode()
    assert "The note on" in page and "is saved." in page
    assert "Needs the quiet room" in page
    assert Booking.objects.get(pk=booking.pk).organiser_note == "Needs the quiet room"
    client.post(_note_url(booking), {"organiser_note": ""})
    assert Booking.objects.get(pk=booking.pk).organiser_note == ""


def test_a_note_that_is_too_long_is_refused_next_to_the_field(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)

    response = client.post(_note_url(booking), {"organiser_note": "x" * 501})

    assert response.status_code == 200
    assert 'id="error_1_id_organiser_note"' in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).organiser_note == ""


@pytest.mark.parametrize(("who", "status"), [("learner", 403), ("surgeon", 403), ("stranger", 404)])
def test_only_organisers_read_or_write_notes(client, slot, who, status, request):
    booking = booked_slot(slot=slot, learner=UserFactory())
    Booking.objects.filter(pk=booking.pk).update(organiser_note="Private")
    client.force_login(request.getfixturevalue(who))

    assert client.get(_note_url(booking)).status_code == status
    assert client.post(_note_url(booking), {"organiser_note": "Changed"}).status_code == status
    assert Booking.objects.get(pk=booking.pk).organiser_note == "Private"


def test_the_learner_never_sees_the_organisers_note(client, slot, learner):
    booking = booked_slot(slot=slot, learner=learner)
    Booking.objects.filter(pk=booking.pk).update(organiser_note="Needs the quiet room")
    client.force_login(learner)

    for url in (reverse("surgeries:my_bookings"), reverse("surgeries:day_detail", args=[slot.day_id])):
        assert "Needs the quiet room" not in client.get(url).content.decode()


def test_no_notes_or_no_show_marks_once_the_days_private_data_is_deleted(client, organiser, slot):
    booking = booked_slot(slot=slot)
    DayAggregate.objects.create(day=slot.day)
    client.force_login(organiser)

    note = client.post(_note_url(booking), {"organiser_note": "Has PTSD, needs the quiet room"})
    mark = client.post(reverse("surgeries:desk_no_show", args=[slot.day_id, booking.pk]), follow=True)

    assert "can no longer be added" in note.content.decode()
    assert "can no longer be added" in mark.content.decode()
    saved = Booking.objects.get(pk=booking.pk)
    assert (saved.organiser_note, saved.is_no_show) == ("", False)


def _desk(client, day, query: str = "", **headers):
    return client.get(reverse("surgeries:desk", args=[day.pk]) + query, headers=headers)


def test_desk_search_by_name_keeps_only_matching_bookings(client, organiser, day):
    for name in ("Wren Walker", "Ade Okafor"):
        booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)), learner=UserFactory(display_name=name))
    client.force_login(organiser)

    page = _desk(client, day, "?q=wren").content.decode()

    assert "Wren Walker" in page
    assert "Ade Okafor" not in page
    assert "1 booking matching “wren”." in page


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("?show=everything", "That list is not one the desk knows, so it shows everyone."),
        ("?q=" + "x" * 81, "That search could not be used (names are at most 80 characters), so it was ignored."),
    ],
)
def test_desk_ignores_an_unknown_filter_with_a_notice(client, organiser, slot, query, notice):
    booked_slot(slot=slot, learner=UserFactory(display_name="Wren Walker"))
    client.force_login(organiser)

    response = _desk(client, slot.day, query)

    assert response.status_code == 200
    assert notice in response.content.decode()
    assert "Wren Walker" in response.content.decode()


def test_desk_search_with_a_null_character_is_a_bad_request_not_an_error(client, organiser, slot):
    client.force_login(organiser)

    assert _desk(client, slot.day, "?q=Wren%00").status_code == 400


@pytest.mark.parametrize(("number", "shown"), [("99", "Page 2 of 2"), ("0", "Page 2 of 2"), ("abc", "Page 1 of 2")])
def test_desk_page_out_of_range_shows_the_last_page_and_nonsense_the_first(client, organiser, day, number, shown):
    day = booked_big_day(day.organisation, surgeons=30, slots_each=1, bookings=30)
    client.force_login(organiser)

    response = _desk(client, day, f"?page={number}")

    assert response.status_code == 200
    assert shown in response.content.decode()


def test_desk_htmx_search_swaps_only_the_list(client, organiser, slot):
    booked_slot(slot=slot, learner=UserFactory(display_name="Wren Walker"))
    client.force_login(organiser)

    response = _desk(client, slot.day, "?q=wren", HX_Request="true")

    page = response.content.decode()
    assert page.startswith('<div id="desk-list"')
    assert "Wren Walker" in page and "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_desk_check_in_comes_back_to_the_same_search_and_page(client, organiser, slot):
    booking = booked_slot(slot=slot)
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:desk_check_in", args=[slot.day_id, booking.pk]), {"back": "q=Lee&show=bogus&page=2"}
    )

    assert response.url == reverse("surgeries:desk", args=[slot.day_id]) + "?q=Lee&page=2"


def test_desk_walk_in_page_offers_one_hour_of_free_sessions_at_a_time(client, organiser, day):
    day = booked_big_day(day.organisation, surgeons=20, slots_each=3, bookings=0)
    client.force_login(organiser)
    url = reverse("surgeries:desk_walk_in", args=[day.pk])
    local = day.starts_at.astimezone(zoneinfo.ZoneInfo(day.time_zone))
    first, second = local.hour, local.hour + 1

    soonest = client.get(url).content.decode()
    later = client.get(f"{url}?from={second:02d}:00").content.decode()

    assert re.findall(r"<option[^>]*>(\d\d):", soonest) == [f"{first:02d}"] * 12
    assert f'href="?from={second:02d}%3A00">{second:02d}:00 (12 free)' in soonest
    assert set(re.findall(r"<option[^>]*>(\d\d):", later)) == {f"{second:02d}"}


@pytest.mark.parametrize("query", ["", "?q=learner", "?show=later", "?page=5"])
def test_desk_on_a_big_day_stays_small_with_the_same_queries(client, django_assert_num_queries, organiser, day, query):
    day = booked_big_day(day.organisation)
    client.force_login(organiser)

    with django_assert_num_queries(8):
        response = _desk(client, day, query)

    assert response.status_code == 200
    assert len(response.content) < 100_000


def test_desk_walk_in_page_on_a_big_day_stays_small(client, organiser, day):
    day = booked_big_day(day.organisation)
    client.force_login(organiser)

    response = client.get(reverse("surgeries:desk_walk_in", args=[day.pk]))

    assert len(response.content) < 100_000


def test_desk_move_offers_one_hour_of_free_sessions_at_a_time(client, organiser, slot):
    booking = booked_slot(slot=slot)
    later = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at + timedelta(hours=2))
    client.force_login(organiser)
    url = reverse("surgeries:desk_move", args=[slot.day_id, booking.pk])
    hour = later.starts_at.astimezone(zoneinfo.ZoneInfo(slot.day.time_zone)).hour
    soon = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)

    first = client.get(url).content.decode()
    chosen = client.get(f"{url}?from={hour:02d}:00").content.decode()

    assert f'value="{soon.pk}"' in first and f'value="{later.pk}"' not in first
    assert f'value="{later.pk}"' in chosen and f'value="{soon.pk}"' not in chosen


@pytest.mark.parametrize("start", ["03:00", "x", "99999999999999999999"])
def test_desk_move_time_without_free_sessions_shows_the_soonest_with_a_notice(client, organiser, slot, start):
    booking = booked_slot(slot=slot)
    soon = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)
    client.force_login(organiser)

    response = client.get(reverse("surgeries:desk_move", args=[slot.day_id, booking.pk]) + f"?from={start}")

    page = response.content.decode()
    assert "There are no free sessions at that time, so the soonest are shown." in page
    assert f'value="{soon.pk}"' in page


def test_desk_move_of_a_big_day_stays_small_at_its_busiest_time(client, organiser, day):
    day = booked_big_day(day.organisation)
    booking = Booking.objects.filter(day=day).first()
    client.force_login(organiser)

    pages = every_time_offered(client, reverse("surgeries:desk_move", args=[day.pk, booking.pk]))

    assert len(pages) > 5
    assert max(len(page.encode()) for page in pages.values()) < 100_000
