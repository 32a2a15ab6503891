from datetime import timedelta

import pytest
from django.urls import reverse

from surgeries.models import DaySurgeon, Slot
from tests.factories import DaySurgeonFactory, SurgeryDayFactory, booked_slot

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
