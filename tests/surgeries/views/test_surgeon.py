from datetime import timedelta

import pytest
from django.urls import reverse

from surgeries.models import Booking, DaySurgeon, Slot, SurgeonWithdrawal, SurgeryDay
from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory, booked_slot

pytestmark = pytest.mark.django_db


def test_availability_makes_slots_skipping_breaks(client, surgeon, day):
    day.breaks.create(
        label="Lunch", starts_at=day.starts_at + timedelta(hours=1), ends_at=day.starts_at + timedelta(hours=2)
    )
    DaySurgeonFactory(day=day, person=surgeon)
    client.force_login(surgeon)

    response = client.post(
        reverse("surgeries:availability", args=[day.pk]), {"windows": "10:00-12:30", "max_sessions": "4"}
    )

    starts = list(Slot.objects.filter(day=day, is_offered=True).values_list("starts_at", flat=True))
    assert response.status_code == 302
    assert starts == [day.starts_at + timedelta(minutes=m) for m in (0, 30, 120)]


def test_availability_refuses_change_that_drops_a_booking_and_names_it(client, surgeon, learner, day):
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    client.force_login(surgeon)
    client.post(reverse("surgeries:availability", args=[day.pk]), {"windows": "10:00-11:00", "max_sessions": "4"})
    booked_slot(slot=Slot.objects.get(day_surgeon=day_surgeon, starts_at=day.starts_at), learner=learner)

    response = client.post(
        reverse("surgeries:availability", args=[day.pk]), {"windows": "10:30-11:00", "max_sessions": "4"}
    )

    page = response.content.decode()
    assert "This change would remove sessions people have booked." in page
    assert "Lee Learner" in page
    assert Slot.objects.get(day_surgeon=day_surgeon, starts_at=day.starts_at).is_offered


def test_availability_outside_day_shows_message(client, surgeon, day):
    DaySurgeonFactory(day=day, person=surgeon)
    client.force_login(surgeon)

    response = client.post(
        reverse("surgeries:availability", args=[day.pk]), {"windows": "07:00-08:00", "max_sessions": "4"}
    )

    assert "Times you are free must be within the day." in response.content.decode()
    assert not Slot.objects.exists()


def test_availability_opt_in_joins_day_where_allowed(client, learner, organisation):
    day = SurgeryDayFactory(organisation=organisation, surgeons_may_opt_in=True)
    client.force_login(learner)

    client.post(reverse("surgeries:availability", args=[day.pk]), {"windows": "10:00-11:00", "max_sessions": "2"})

    assert DaySurgeon.objects.get(day=day).joined_via == DaySurgeon.JoinedVia.OPTED_IN
    assert Slot.objects.filter(day=day).count() == 2


@pytest.mark.parametrize(("persona", "status"), [("learner", 403), ("other_organiser", 404), ("stranger", 404)])
def test_availability_refuses_people_not_invited(client, request, day, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("surgeries:availability", args=[day.pk]), {"windows": "10:00-11:00"})

    assert response.status_code == status
    assert not DaySurgeon.objects.exists()


def test_availability_anonymous_goes_to_login(client, day):
    assert client.get(reverse("surgeries:availability", args=[day.pk])).status_code == 302


def test_day_sheet_shows_learner_topics_and_note(client, surgeon, learner, slot):
    booked_slot(slot=slot, learner=learner, note="Podcast on a shoestring")
    client.force_login(surgeon)

    page = client.get(reverse("surgeries:day_sheet", args=[slot.day_id])).content.decode()

    assert "Lee Learner" in page
    assert "Podcast on a shoestring" in page


def test_day_sheet_organiser_may_open_any_surgeons_sheet(client, organiser, surgeon, slot):
    client.force_login(organiser)

    response = client.get(reverse("surgeries:day_sheet", args=[slot.day_id]), {"surgeon": surgeon.pk})

    assert "Day sheet for Sam Surgeon" in response.content.decode()


@pytest.mark.parametrize(("surgeon_id", "status"), [("abc", 400), ("1\x00", 400), ("99999999999999999999", 404)])
def test_day_sheet_malformed_surgeon_is_refused_without_a_server_error(client, organiser, slot, surgeon_id, status):
    client.force_login(organiser)

    response = client.get(reverse("surgeries:day_sheet", args=[slot.day_id]), {"surgeon": surgeon_id})

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [("learner", 403), ("other_organiser", 404), ("stranger", 404)])
def test_day_sheet_refuses_others(client, request, surgeon, slot, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("surgeries:day_sheet", args=[slot.day_id]), {"surgeon": surgeon.pk})

    assert response.status_code == status


# --- I can't come -----------------------------------------------------------------


def _withdraw_url(day, slot=None):
    url = reverse("surgeries:surgeon_withdraw", args=[day.pk])
    return f"{url}?slot={slot.pk}" if slot else url


def test_withdraw_asks_first_and_says_how_many_learners_will_be_told(client, surgeon, learner, slot):
    booked_slot(slot=slot, learner=learner)
    booked_slot(slot=SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at))
    client.force_login(surgeon)

    page = " ".join(client.get(_withdraw_url(slot.day)).content.decode().split())

    assert "Your 2 learners will be told at once." in page
    assert "Yes, withdraw from the day" in page
    assert Slot.objects.filter(is_offered=True).count() == 2


def test_withdraw_confirmed_moves_learner_and_says_so(client, surgeon, learner, slot):
    booked_slot(slot=slot, learner=learner)
    client.force_login(surgeon)

    response = client.post(_withdraw_url(slot.day), follow=True)

    page = response.content.decode()
    assert "You have withdrawn from this day. We have told your learners: 1 learner put on the waiting list." in page
    assert not Booking.objects.filter(status=Booking.Status.ACTIVE).exists()
    assert SurgeonWithdrawal.objects.get().waiting == 1


def test_withdraw_one_session_from_the_day_sheet(client, surgeon, learner, slot):
    booked_slot(slot=slot, learner=learner)
    later = SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at)
    client.force_login(surgeon)
    sheet = client.get(reverse("surgeries:day_sheet", args=[slot.day_id])).content.decode()
    assert f"?slot={slot.pk}" in sheet

    page = " ".join(client.get(_withdraw_url(slot.day, slot)).content.decode().split())
    client.post(reverse("surgeries:surgeon_withdraw", args=[slot.day_id]), {"slot": slot.pk})

    assert "Your learner will be told at once." in page
    assert list(Slot.objects.filter(is_offered=True)) == [later]


@pytest.mark.parametrize(("persona", "status"), [("learner", 403), ("other_organiser", 404), ("stranger", 404)])
def test_withdraw_refuses_people_who_are_not_surgeons_of_the_day(client, request, slot, persona, status):
    client.force_login(request.getfixturevalue(persona))

    responses = [client.get(_withdraw_url(slot.day)), client.post(_withdraw_url(slot.day))]

    assert [r.status_code for r in responses] == [status, status]
    assert Slot.objects.get().is_offered


def test_withdraw_organiser_cannot_withdraw_a_surgeon_nor_sees_the_links(client, organiser, surgeon, learner, slot):
    booked_slot(slot=slot, learner=learner)
    client.force_login(organiser)

    sheet = client.get(reverse("surgeries:day_sheet", args=[slot.day_id]), {"surgeon": surgeon.pk})
    response = client.post(_withdraw_url(slot.day), {"slot": slot.pk})

    assert "I can't" not in sheet.content.decode()
    assert response.status_code == 403
    assert Booking.objects.get().status == Booking.Status.ACTIVE


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_withdraw_malformed_or_someone_elses_slot_is_not_found(client, surgeon, slot, value):
    other = SlotFactory(day_surgeon=DaySurgeonFactory(day=slot.day))
    client.force_login(surgeon)

    for slot_value in (value, str(other.pk)):
        assert client.get(_withdraw_url(slot.day), {"slot": slot_value}).status_code == 404
        assert client.post(_withdraw_url(slot.day), {"slot": slot_value}).status_code == 404
    assert Slot.objects.filter(is_offered=True).count() == 2


def test_withdraw_from_cancelled_day_says_so_and_changes_nothing(client, surgeon, learner, slot):
    booked_slot(slot=slot, learner=learner)
    SurgeryDay.objects.filter(pk=slot.day_id).update(status=SurgeryDay.Status.CANCELLED)
    client.force_login(surgeon)

    page = client.get(_withdraw_url(slot.day)).content.decode()
    response = client.post(_withdraw_url(slot.day), follow=True)

    assert "This day is over or cancelled" in page
    assert "Yes, withdraw" not in page
    assert "This day is over or cancelled, so there is nothing to withdraw from." in response.content.decode()
    assert Slot.objects.get().is_offered


def test_withdraw_anonymous_goes_to_login(client, slot):
    assert client.post(_withdraw_url(slot.day)).status_code == 302
    assert Slot.objects.get().is_offered


@pytest.mark.parametrize("learners", [1, 8])
def test_withdraw_confirmation_query_count_does_not_grow_with_learners(
    client, surgeon, slot, django_assert_num_queries, learners
):
    for index in range(learners):
        starts_at = slot.starts_at + timedelta(minutes=30 * index)
        booked_slot(slot=slot if index == 0 else SlotFactory(day_surgeon=slot.day_surgeon, starts_at=starts_at))
    client.force_login(surgeon)

    # venue zone, session, user, day, standing, day surgeon, membership, bookings, their topics
    with django_assert_num_queries(9):
        response = client.get(_withdraw_url(slot.day))

    assert response.content.decode().count("GMT: Person") == learners
