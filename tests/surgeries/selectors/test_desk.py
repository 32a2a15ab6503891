"""The desk's list: soonest arrivals first, narrowed by name and by list."""

import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from surgeries.models import Booking
from surgeries.selectors.desk import desk_bookings, desk_sections
from tests.factories import DaySurgeonFactory, SlotFactory, UserFactory, booked_slot

pytestmark = pytest.mark.django_db


def _booking(day, minutes: int, learner_name: str, surgeon_name: str = "") -> Booking:
    surgeon = DaySurgeonFactory(day=day, **({"person__display_name": surgeon_name} if surgeon_name else {}))
    slot = SlotFactory(day_surgeon=surgeon, starts_at=day.starts_at + timedelta(minutes=minutes))
    return booked_slot(slot=slot, learner=UserFactory(display_name=learner_name))


def _names(day, now, **filters) -> list[str]:
    return [b.learner.display_name for b in desk_bookings(day=day, now=now, **filters)]


def test_desk_lists_arrivals_due_in_the_next_hour_first_then_later_then_done(day):
    _booking(day, 0, "Started, not here")
    _booking(day, 30, "Due soon")
    _booking(day, 180, "This afternoon")
    arrived = _booking(day, 60, "Arrived early")
    Booking.objects.filter(pk=arrived.pk).update(checked_in_at=timezone.now())
    _booking(day, 120, "In two hours")
    now = day.starts_at + timedelta(minutes=10)

    assert _names(day, now) == ["Started, not here", "Due soon", "In two hours", "This afternoon", "Arrived early"]


def test_desk_list_choice_keeps_one_group(day):
    _booking(day, 30, "Due soon")
    _booking(day, 180, "This afternoon")
    now = day.starts_at

    assert _names(day, now, show="due") == ["Due soon"]
    assert _names(day, now, show="later") == ["This afternoon"]
    assert _names(day, now, show="done") == []


def test_desk_search_finds_learner_or_surgeon_by_part_of_the_name(day):
    _booking(day, 0, "Wren Walker", surgeon_name="Sam Surgeon")
    _booking(day, 30, "Ade Okafor", surgeon_name="Priya Patel")

    assert _names(day, day.starts_at, search="walk") == ["Wren Walker"]
    assert _names(day, day.starts_at, search="PATEL") == ["Ade Okafor"]


def test_desk_sections_give_times_in_the_venues_zone_and_one_heading_per_group(day):
    _booking(day, 0, "Due soon")
    _booking(day, 180, "Later on")

    sections = desk_sections(day=day, bookings=desk_bookings(day=day, now=day.starts_at))

    assert [s.label for s in sections] == ["Due in the next hour", "Later today"]
    first = sections[0].rows[0]
    local = day.starts_at.astimezone(zoneinfo.ZoneInfo(day.time_zone))
    assert first.starts == f"{local:%H:%M} {local.tzname()}"
    assert first.check_in_url == f"/organise/days/{day.pk}/desk/{first.booking_id}/check-in/"
