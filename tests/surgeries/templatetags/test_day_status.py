"""The status every page about a day shows under its time and place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surgeries.models import SurgeryDay
from surgeries.templatetags.day_status import DayStatus, status_of
from tests.factories import SurgeryDayFactory, local_datetime

pytestmark = pytest.mark.django_db


def test_status_of_a_draft():
    day = SurgeryDayFactory.build(status=SurgeryDay.Status.DRAFT)

    assert status_of(day) == DayStatus("Draft", "Only organisers can see it until it is published.", "warning")


def test_status_of_a_published_day_whose_booking_opens_later_says_when_in_venue_time():
    day = SurgeryDayFactory.build()
    opens = local_datetime(timezone.now().date() + timedelta(days=3), 9)
    day.booking_opens_at = opens

    status = status_of(day)

    assert (status.label, status.tone) == ("Published", "info")
    assert status.detail.startswith("Booking opens on ")
    assert status.detail.endswith(("at 09:00 GMT.", "at 09:00 BST."))


def test_status_of_a_published_day_taking_bookings():
    assert status_of(SurgeryDayFactory.build()).detail == "Booking is open."


def test_status_of_a_published_day_whose_booking_has_closed():
    day = SurgeryDayFactory.build(booking_closes_at=timezone.now() - timedelta(hours=1))

    assert status_of(day) == DayStatus("Published", "Booking has closed.", "success")


def test_status_of_a_day_that_has_ended_but_is_not_marked_finished_yet_is_finished():
    day = SurgeryDayFactory.build(starts_at=timezone.now() - timedelta(hours=6))

    assert status_of(day).label == "Finished"


def test_status_of_a_cancelled_day():
    day = SurgeryDayFactory.build(status=SurgeryDay.Status.CANCELLED)

    assert status_of(day) == DayStatus("Cancelled", "This day will not take place.", "danger")
