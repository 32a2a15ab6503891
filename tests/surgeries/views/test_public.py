from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from surgeries.models import Booking, SurgeryDay
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    booked_slot,
    held_and_finished_day,
    local_datetime,
)

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
    _slots_over_four_hours(day, slot_count)
    client.force_login(learner)

    url = reverse("surgeries:day_detail", args=[day.pk])
    # session, user, zone, day, access, slot start times, slots, surgeons and
    # sessions taken, topics, commitments, own bookings, waiting, is surgeon, topics
    # for the form
    with django_assert_num_queries(15):
        client.get(url)
    # Once the free times are in the cache, only the person's own part is read.
    with django_assert_num_queries(9):
        response = client.get(url)

    assert f"{slot_count} free session" in response.content.decode()


def _slots_over_four_hours(day, count):
    """`count` free slots, one surgeon each, on the half hours from 10:00 to 13:30 GMT/BST."""
    return [
        SlotFactory(
            day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(minutes=30 * (index % 8))
        )
        for index in range(count)
    ]


def _book_buttons(page: str) -> int:
    return page.count(">Book<")


def test_day_detail_every_free_slot_can_be_booked_through_its_hour(client, day, learner):
    _slots_over_four_hours(day, 40)
    client.force_login(learner)
    url = reverse("surgeries:day_detail", args=[day.pk])

    overview = client.get(url).content.decode()
    hours = [client.get(url, {"when": hour}).content.decode() for hour in ("10", "11", "12", "13")]

    assert "40 free sessions." in overview
    assert [f"{hour}:00 to {int(hour) + 1}:00" in overview for hour in ("10", "11", "12", "13")] == [True] * 4
    assert 'href="?when=10"' in overview
    assert [_book_buttons(page) for page in hours] == [10, 10, 10, 10]


def test_day_detail_shows_bst_and_gmt_on_either_side_of_clocks_going_back(client, organisation):
    before, after = (
        SlotFactory(
            day_surgeon=DaySurgeonFactory(
                day=SurgeryDayFactory(
                    organisation=organisation, starts_at=local_datetime(on, 9), ends_at=local_datetime(on, 16)
                )
            ),
            starts_at=local_datetime(on, 10),
            ends_at=local_datetime(on, 10, 30),
        )
        for on in (date(2027, 10, 30), date(2027, 10, 31))
    )

    with time_machine.travel(local_datetime(date(2027, 10, 1), 12), tick=False):
        page_before = client.get(reverse("surgeries:day_detail", args=[before.day_id])).content.decode()
        page_after = client.get(reverse("surgeries:day_detail", args=[after.day_id])).content.decode()

    assert "10:00 BST to 10:30 BST" in page_before
    assert "10:00 GMT to 10:30 GMT" in page_after


def test_day_detail_shows_that_booking_opens_later_in_its_status(client, day):
    SurgeryDay.objects.filter(pk=day.pk).update(booking_opens_at=day.starts_at - timedelta(days=2))

    page = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    assert '<strong>Status:</strong> <span class="badge text-bg-info">Published</span> Booking opens on ' in page


def test_day_detail_of_a_cancelled_day_says_so(client, day):
    SurgeryDay.objects.filter(pk=day.pk).update(status=SurgeryDay.Status.CANCELLED)

    page = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    assert "Cancelled</span> This day will not take place." in page


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


def test_book_beyond_the_days_limit_says_how_many_sessions_the_learner_has(client, learner, day, slot):
    SurgeryDay.objects.filter(pk=day.pk).update(max_sessions_per_learner=1)
    booked_slot(
        slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(hours=1)),
        learner=learner,
    )
    client.force_login(learner)

    response = client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {}, follow=True)

    assert response.status_code == 200
    assert "You have 1 session this day, the most this surgery allows." in response.content.decode()
    assert Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).count() == 1


def test_day_detail_tells_everyone_the_limit_and_a_learner_who_reached_it(client, learner, day, slot):
    SurgeryDay.objects.filter(pk=day.pk).update(max_sessions_per_learner=1)
    client.force_login(learner)
    before = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()
    booked_slot(slot=slot, learner=learner)

    after = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    assert "Each person may book up to 1 session on this day." in before
    assert "the most this surgery allows" not in before
    assert "You have 1 session this day, the most this surgery allows." in after


def test_book_stranger_can_book_published_day(client, stranger, slot):
    client.force_login(stranger)

    client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {})

    assert Booking.objects.filter(learner=stranger, status=Booking.Status.ACTIVE).count() == 1


def test_book_slot_of_other_day_is_404(client, learner, slot):
    other_day = SurgeryDayFactory()
    client.force_login(learner)

    response = client.get(reverse("surgeries:book", args=[other_day.pk, slot.pk]))

    assert response.status_code == 404


def test_waiting_list_join_and_leave(client, learner, day):
    client.force_login(learner)

    joined = client.post(reverse("surgeries:waiting_join", args=[day.pk]), {"note": ""}, follow=True)
    left = client.post(reverse("surgeries:waiting_leave", args=[day.pk]), follow=True)

    assert "You are on the waiting list." in joined.content.decode()
    assert "You have left the waiting list." in left.content.decode()


def test_waiting_list_join_requires_login(client, day):
    response = client.post(reverse("surgeries:waiting_join", args=[day.pk]))

    assert response.status_code == 302


def test_new_user_gets_unique_booking_per_person(client, slot):
    people = UserFactory.create_batch(2)
    client.force_login(people[0])
    client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {})
    client.force_login(people[1])
    client.post(reverse("surgeries:book", args=[slot.day_id, slot.pk]), {})

    assert Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).count() == 1


# --- before booking opens and after it closes -----------------------------------------


@pytest.fixture
def opens_later(slot):
    """The slot's day opens for booking at 09:00 GMT on 1 December 2026, and it is the day before."""
    day = slot.day
    day.booking_opens_at = local_datetime(date(2026, 12, 1), 9)
    day.save(update_fields=["booking_opens_at"])
    with time_machine.travel(local_datetime(date(2026, 11, 30), 12), tick=False):
        yield slot


def test_day_detail_before_booking_opens_says_when_and_offers_no_book_button(client, learner, opens_later):
    client.force_login(learner)

    page = client.get(reverse("surgeries:day_detail", args=[opens_later.day_id])).content.decode()

    assert "Booking opens on Tuesday 1 December 2026 at 09:00 GMT." in page
    assert ">Book<" not in page
    assert "Sam Surgeon" in page


def test_book_before_booking_opens_is_refused_saying_when_it_opens(client, learner, opens_later):
    client.force_login(learner)

    response = client.post(reverse("surgeries:book", args=[opens_later.day_id, opens_later.pk]), {}, follow=True)

    assert "Booking opens on Tuesday 1 December 2026 at 09:00 GMT." in response.content.decode()
    assert not Booking.objects.filter(learner=learner).exists()


def test_book_page_before_booking_opens_says_when_and_has_no_book_button(client, learner, opens_later):
    client.force_login(learner)

    page = client.get(reverse("surgeries:book", args=[opens_later.day_id, opens_later.pk])).content.decode()

    assert "Booking opens on Tuesday 1 December 2026 at 09:00 GMT." in page
    assert "Book this session" not in page


def test_day_detail_once_booking_opens_offers_book_buttons(client, learner, opens_later):
    client.force_login(learner)

    with time_machine.travel(opens_later.day.booking_opens_at, tick=False):
        page = client.get(reverse("surgeries:day_detail", args=[opens_later.day_id])).content.decode()

    assert "Booking opens on" not in page
    assert page.count(">Book<") == 1


def test_day_detail_after_booking_closes_says_so_and_offers_no_book_button(client, slot):
    SurgeryDay.objects.filter(pk=slot.day_id).update(booking_closes_at=slot.day.starts_at - timedelta(days=1))

    with time_machine.travel(slot.day.starts_at - timedelta(hours=12), tick=False):
        page = client.get(reverse("surgeries:day_detail", args=[slot.day_id])).content.decode()

    assert "Booking has closed for this day." in page
    assert ">Book<" not in page


# --- once a day has finished ---------------------------------------------------------


def test_day_page_of_a_finished_day_still_shows_your_session_but_offers_no_booking(
    client, organisation, learner, surgeon
):
    day = held_and_finished_day(organisation, learner, surgeon)
    client.force_login(learner)

    response = client.get(reverse("surgeries:day_detail", args=[day.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Finished" in page
    assert "You are booked" in page
    assert "with Sam Surgeon" in page
    assert "Free sessions" not in page
    assert "Join the waiting list" not in page
