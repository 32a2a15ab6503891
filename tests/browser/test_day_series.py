"""An organiser repeats a day as a monthly series across a change of the clocks,
moves one date and copies a day, on a desktop screen and on a 390 px phone."""

from datetime import UTC, date, datetime

from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import DaySeries, DaySurgeon, SurgeryDay
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import (
    OrganisationFactory,
    SurgeryDayFactory,
    VenueFactory,
    WorkshopFactory,
    local_datetime,
    member,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _check_both_sizes(page) -> None:
    """The page passes axe and fits the screen, on a desktop and on a phone."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_fits_width(page)
    page.set_viewport_size(DESKTOP)


def _december_day():
    organisation = OrganisationFactory(name="Leeds surgery", slug="leeds")
    venue = VenueFactory(organisation=organisation, name="Central Library", time_zone="Europe/London")
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")
    surgeon = member(organisation, role=Membership.Role.SURGEON, display_name="Sam")
    day = SurgeryDayFactory(
        organisation=organisation,
        venue=venue,
        title="Monthly surgery",
        status=SurgeryDay.Status.PUBLISHED,
        starts_at=local_datetime(date(2026, 12, 12), 10),
        ends_at=local_datetime(date(2026, 12, 12), 15),
    )
    DaySurgeon.objects.create(day=day, person=surgeon)
    WorkshopFactory(day=day, title="Staying safe online")
    return organiser, day


def test_organiser_repeats_a_day_monthly_across_the_clock_change_and_moves_a_date(page):
    organiser, day = _december_day()

    log_in(page, organiser)
    page.goto(f"/organise/days/{day.pk}/")
    page.get_by_role("link", name="Repeat as a series").click()
    _check_both_sizes(page)
    # The form starts from the day itself: the second Saturday, six dates.
    expect(page.get_by_label("Monthly, on one weekday of the month")).to_be_checked()
    expect(page.get_by_label("Week of the month (monthly only)")).to_have_value("2")
    expect(page.get_by_label("Day of the week")).to_have_value("5")
    page.get_by_label("Number of dates", exact=True).fill("6")
    page.get_by_role("button", name="Show the dates").click()

    expect(page.get_by_role("heading", name="6 new draft days")).to_be_visible()
    expect(page.get_by_text("Saturday 13 March 2027, 10:00 GMT")).to_be_visible()
    expect(page.get_by_text("Saturday 10 April 2027, 10:00 BST")).to_be_visible()
    _check_both_sizes(page)
    assert not DaySeries.objects.exists()
    page.get_by_role("button", name="Create 6 draft days").click()

    expect(page.get_by_text("6 draft days are ready.")).to_be_visible()
    _check_both_sizes(page)
    page.get_by_label("Move to (instead of Saturday 10 April 2027)").fill("2027-04-17")
    page.get_by_role("button", name="Move Saturday 10 April 2027").click()

    expect(page.get_by_text("The date of 10 April 2027 is moved to 17 April 2027.")).to_be_visible()
    _check_both_sizes(page)
    series = DaySeries.objects.get()
    assert [d.starts_at for d in series.days.order_by("starts_at")] == [
        datetime(2027, 1, 9, 10, tzinfo=UTC),
        datetime(2027, 2, 13, 10, tzinfo=UTC),
        datetime(2027, 3, 13, 10, tzinfo=UTC),
        datetime(2027, 4, 17, 9, tzinfo=UTC),  # 10:00 BST, after the March change
        datetime(2027, 5, 8, 9, tzinfo=UTC),
        datetime(2027, 6, 12, 9, tzinfo=UTC),
    ]
    page.get_by_role("link", name="Saturday 17 April 2027").click()
    expect(page.get_by_text("Saturday 17 April 2027, 10:00 BST to 15:00 BST")).to_be_visible()


def test_organiser_copies_a_day_and_sees_what_was_copied(page):
    organiser, day = _december_day()

    log_in(page, organiser)
    page.goto(f"/organise/days/{day.pk}/")
    page.get_by_role("link", name="Copy this day").click()
    _check_both_sizes(page)
    page.get_by_label("New date*").fill("2026-11-01")
    page.get_by_role("button", name="Copy the day").click()
    expect(page.get_by_text("1 November 2026 has already passed. Choose a date in the future.")).to_be_visible()
    _check_both_sizes(page)

    page.get_by_label("New date*").fill("2027-04-10")
    page.get_by_role("button", name="Copy the day").click()

    expect(page.get_by_role("heading", name="Copy ready: Monthly surgery")).to_be_visible()
    expect(page.get_by_text("Surgeons invited again: Sam")).to_be_visible()
    expect(page.get_by_text("Workshop “Staying safe online”, 10:00 to 11:00 BST in Room 2")).to_be_visible()
    _check_both_sizes(page)
    assert SurgeryDay.objects.get(starts_at=datetime(2027, 4, 10, 9, tzinfo=UTC)).status == SurgeryDay.Status.DRAFT
