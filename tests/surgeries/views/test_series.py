"""The organiser's pages for copying a day and for series of days."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from surgeries.models import DaySeries, DaySurgeon, SurgeryDay
from surgeries.recurrence import Rule
from surgeries.services import series_create
from tests.factories import SurgeryDayFactory, local_datetime

pytestmark = pytest.mark.django_db

MONTHLY = {"frequency": "monthly", "interval": "1", "week_of_month": "2", "weekday": "5", "ends": "count", "count": "6"}


@pytest.fixture(autouse=True)
def _first_of_september():
    with time_machine.travel(datetime(2026, 9, 1, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def source(organisation):
    """Saturday 12 September 2026, 10:00 to 15:00 in London."""
    return SurgeryDayFactory(
        organisation=organisation,
        title="Monthly surgery",
        starts_at=local_datetime(date(2026, 9, 12), 10),
        ends_at=local_datetime(date(2026, 9, 12), 15),
    )


@pytest.fixture
def series(source, organiser):
    return series_create(day=source, by=organiser, rule=Rule("monthly", 1, 5, 2, count=6))


def test_copy_makes_a_draft_and_shows_what_was_copied(client, organiser, surgeon, source):
    DaySurgeon.objects.create(day=source, person=surgeon)
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_copy", args=[source.pk]), {"date": "2026-11-14"}, follow=True)

    copy = SurgeryDay.objects.exclude(pk=source.pk).get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("surgeries:day_copied", args=[copy.pk])
    assert copy.status == SurgeryDay.Status.DRAFT
    assert "Copy ready: Monthly surgery" in page
    assert "Surgeons invited again: Sam Surgeon" in page
    assert "Saturday 14 November 2026, 10:00 GMT to 15:00 GMT" in page


def test_copy_to_a_past_date_says_so(client, organiser, source):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_copy", args=[source.pk]), {"date": "2026-08-01"})

    assert response.status_code == 200
    assert "1 August 2026 has already passed. Choose a date in the future." in response.content.decode()
    assert SurgeryDay.objects.count() == 1


def test_copy_with_a_malformed_date_says_how_to_write_it(client, organiser, source):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:day_copy", args=[source.pk]), {"date": "next tuesday"})

    assert "Write the date like 2027-01-09." in response.content.decode()


def test_copied_page_without_a_copy_goes_to_the_day(client, organiser, source):
    client.force_login(organiser)

    response = client.get(reverse("surgeries:day_copied", args=[source.pk]))

    assert response["Location"] == reverse("surgeries:day_manage", args=[source.pk])


@pytest.mark.parametrize(("persona", "status"), [("stranger", 404), ("other_organiser", 404), ("surgeon", 403)])
@pytest.mark.parametrize("name", ["day_copy", "day_copied", "series_new"])
def test_copy_and_repeat_refuse_everyone_but_organisers(client, request, source, persona, status, name):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(f"surgeries:{name}", args=[source.pk])).status_code == status
    assert (
        client.post(
            reverse(f"surgeries:{name}", args=[source.pk]), {"date": "2026-11-14", **MONTHLY, "confirm": "yes"}
        ).status_code
        == status
    )
    assert SurgeryDay.objects.count() == 1


@pytest.mark.parametrize("name", ["day_copy", "series_new"])
def test_unknown_day_is_404(client, organiser, name):
    client.force_login(organiser)

    assert client.get(reverse(f"surgeries:{name}", args=[987654])).status_code == 404
    assert client.get(f"/organise/days/abc/{'copy' if name == 'day_copy' else 'repeat'}/").status_code == 404


def test_repeat_shows_the_dates_before_making_anything(client, organiser, source):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:series_new", args=[source.pk]), MONTHLY)

    page = response.content.decode()
    assert "Every month on the second Saturday, 6 dates" in page
    assert "Saturday 10 October 2026, 10:00 BST" in page
    assert "Saturday 14 November 2026, 10:00 GMT" in page
    assert "Create 6 draft days" in page
    assert not DaySeries.objects.exists()


def test_repeat_confirmed_makes_the_series(client, organiser, source):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:series_new", args=[source.pk]), {**MONTHLY, "confirm": "yes"})

    series = DaySeries.objects.get()
    assert response["Location"] == reverse("surgeries:series_manage", args=[series.pk])
    assert series.days.count() == 6


def test_repeat_refuses_too_many_dates_with_a_clear_message(client, organiser, source):
    client.force_login(organiser)
    data = {**MONTHLY, "frequency": "weekly", "ends": "until", "until": "2028-06-01", "confirm": "yes"}

    response = client.post(reverse("surgeries:series_new", args=[source.pk]), data)

    assert "This rule gives more than 52 dates." in response.content.decode()
    assert SurgeryDay.objects.count() == 1


def test_repeat_asks_for_what_is_missing(client, organiser, source):
    client.force_login(organiser)
    data = {**MONTHLY, "week_of_month": "", "ends": "until", "until": ""}

    page = client.post(reverse("surgeries:series_new", args=[source.pk]), data).content.decode()

    assert "Choose which week of the month." in page
    assert "Choose the last date." in page


def test_series_page_lists_dates_with_skip_and_move(client, organiser, series):
    client.force_login(organiser)

    response = client.get(reverse("surgeries:series_manage", args=[series.pk]))

    page = response.content.decode()
    assert page.count("Move<span") == 6
    assert "Saturday 13 March 2027" in page


def test_series_page_queries_do_not_grow_with_dates(client, organiser, source, django_assert_num_queries):
    client.force_login(organiser)
    short = series_create(day=source, by=organiser, rule=Rule("monthly", 1, 5, 3, count=1))
    long = series_create(day=source, by=organiser, rule=Rule("monthly", 1, 5, 2, count=8))
    client.get(reverse("surgeries:series_manage", args=[short.pk]))  # session and user warmed up

    with django_assert_num_queries(6) as short_queries:
        client.get(reverse("surgeries:series_manage", args=[short.pk]))
    with django_assert_num_queries(len(short_queries.captured_queries)):
        client.get(reverse("surgeries:series_manage", args=[long.pk]))


def test_move_a_date(client, organiser, series):
    client.force_login(organiser)

    response = client.post(
        reverse("surgeries:series_move", args=[series.pk]), {"on": "2026-10-10", "to": "2026-10-31"}, follow=True
    )

    assert "The date of 10 October 2026 is moved to 31 October 2026." in response.content.decode()
    assert series.days.get(series_date=date(2026, 10, 10)).starts_at == datetime(2026, 10, 31, 10, tzinfo=UTC)


def test_move_without_a_new_date_says_so(client, organiser, series):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:series_move", args=[series.pk]), {"on": "2026-10-10"}, follow=True)

    assert "Choose the new date." in response.content.decode()


def test_skip_a_date(client, organiser, series):
    client.force_login(organiser)

    response = client.post(reverse("surgeries:series_skip", args=[series.pk]), {"on": "2026-10-10"}, follow=True)

    assert "The date of 10 October 2026 is skipped." in response.content.decode()
    assert series.days.count() == 5


@pytest.mark.parametrize("name", ["series_skip", "series_move"])
def test_malformed_date_is_400(client, organiser, series, name):
    client.force_login(organiser)

    assert client.post(reverse(f"surgeries:{name}", args=[series.pk]), {"on": "10/10/20xx"}).status_code == 400
    assert series.days.count() == 6


@pytest.mark.parametrize(("persona", "status"), [("stranger", 404), ("other_organiser", 404), ("learner", 403)])
@pytest.mark.parametrize("name", ["series_manage", "series_edit", "series_skip", "series_move", "series_refresh"])
def test_series_pages_refuse_everyone_but_organisers(client, request, series, persona, status, name):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse(f"surgeries:{name}", args=[series.pk]), {"on": "2026-10-10", "to": "2026-10-31"})

    assert response.status_code == status
    assert series.days.count() == 6
    assert not series.exceptions.exists()


def test_unknown_series_is_404(client, organiser):
    client.force_login(organiser)

    assert client.get(reverse("surgeries:series_manage", args=[987654])).status_code == 404


def test_change_the_series_shows_the_plan_then_changes_future_drafts(client, organiser, series):
    client.force_login(organiser)
    url = reverse("surgeries:series_edit", args=[series.pk])
    data = {**MONTHLY, "count": "4"}

    preview = client.post(url, data).content.decode()
    response = client.post(url, {**data, "confirm": "yes"}, follow=True)

    assert "Drafts to remove" in preview and "Saturday 13 February 2027, 10:00 GMT" in preview
    assert "Series changed: 0 dates added, 2 drafts removed." in response.content.decode()
    assert series.days.count() == 4


def test_day_pages_link_to_the_series(client, organiser, source, series):
    client.force_login(organiser)
    member_day = series.days.order_by("starts_at").first()

    source_page = client.get(reverse("surgeries:day_manage", args=[source.pk])).content.decode()
    member_page = client.get(reverse("surgeries:day_manage", args=[member_day.pk])).content.decode()

    link = reverse("surgeries:series_manage", args=[series.pk])
    assert f'href="{link}">Series made from this day on Tuesday 1 September 2026' in source_page
    assert f'href="{link}">All dates of its series' in member_page


def test_bring_drafts_up_to_date_names_them_first_then_remakes_them(client, organiser, source, series):
    client.force_login(organiser)
    url = reverse("surgeries:series_refresh", args=[series.pk])
    source.title = "Monthly surgery at the library"
    source.save()

    confirm = " ".join(client.get(url).content.decode().split())
    unchanged = set(series.days.values_list("title", flat=True))
    response = client.post(url, follow=True)

    assert "6 drafts to remake" in confirm
    assert "Saturday 10 October 2026" in confirm
    assert "Anything you changed on these drafts themselves will be replaced." in confirm
    assert unchanged == {"Monthly surgery"}
    assert "6 drafts now match the first day." in response.content.decode()
    assert set(series.days.values_list("title", flat=True)) == {"Monthly surgery at the library"}


def test_bring_drafts_up_to_date_with_none_left_says_so(client, organiser, series):
    client.force_login(organiser)
    for day in series.days.all():
        day.status = SurgeryDay.Status.PUBLISHED
        day.save()

    page = client.get(reverse("surgeries:series_refresh", args=[series.pk])).content.decode()

    assert "no drafts still to come" in page
    assert "Remake" not in page
