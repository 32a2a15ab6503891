from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surgeries.models import SurgeryDay
from tests.factories import SurgeryDayFactory, local_datetime

pytestmark = pytest.mark.django_db


def test_home_explains_surgeries_and_shows_empty_state(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "A social media surgery is a relaxed day" in page
    assert "There are no surgery days planned just now." in page


def test_home_lists_published_upcoming_days_in_venue_time(client):
    SurgeryDayFactory(
        title="Winter surgery",
        starts_at=local_datetime(date(2031, 1, 14), 10),
        ends_at=local_datetime(date(2031, 1, 14), 15),
    )

    page = client.get(reverse("home")).content.decode()

    assert "Winter surgery" in page
    assert "Tuesday 14 January 2031, 10:00 GMT to 15:00 GMT" in page


def test_home_hides_draft_cancelled_and_past_days(client):
    SurgeryDayFactory(title="Draft day", status=SurgeryDay.Status.DRAFT)
    SurgeryDayFactory(title="Cancelled day", status=SurgeryDay.Status.CANCELLED)
    yesterday = timezone.now() - timedelta(days=1)
    SurgeryDayFactory(title="Past day", starts_at=yesterday - timedelta(hours=5), ends_at=yesterday)
    SurgeryDayFactory(title="Open day")

    page = client.get(reverse("home")).content.decode()

    assert "Open day" in page
    assert "Draft day" not in page
    assert "Cancelled day" not in page
    assert "Past day" not in page


@pytest.mark.parametrize("day_count", [1, 30])
def test_home_query_count_does_not_grow_with_days(client, django_assert_num_queries, day_count):
    SurgeryDayFactory.create_batch(day_count)

    with django_assert_num_queries(1):
        response = client.get(reverse("home"))

    assert response.content.decode().count('class="card mb-3"') == day_count
