from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import DaySurgeon, Slot, SurgeryDay
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import (
    DaySurgeonFactory,
    OrganisationFactory,
    SurgeryDayFactory,
    VenueFactory,
    member,
)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def test_organiser_creates_and_publishes_a_day(page):
    organisation = OrganisationFactory(name="Leeds surgery", slug="leeds")
    VenueFactory(organisation=organisation, name="Central Library")
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")
    next_month = (timezone.now() + timedelta(days=30)).date()

    log_in(page, organiser)
    page.get_by_role("link", name="Organise").click()
    assert_accessible(page)
    page.get_by_role("link", name="Plan a new day").click()
    assert_accessible(page)
    page.get_by_label("Title*").fill("Spring surgery")
    page.get_by_label("Date*").fill(next_month.isoformat())
    page.get_by_label("Starts*").fill("10:00")
    page.get_by_label("Ends*").fill("09:00")
    page.get_by_role("button", name="Save day").click()
    expect(page.get_by_text("The day must end after it starts.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Ends*").fill("15:00")
    page.get_by_label("Breaks").fill("12:30-13:15 Lunch")
    page.get_by_role("button", name="Save day").click()
    expect(page.get_by_text("Draft day saved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish this day").click()
    # No surgeons yet: the organiser is warned first (see the test below).
    page.get_by_role("button", name="Publish anyway").click()

    expect(page.get_by_text("The day is published.")).to_be_visible()
    assert SurgeryDay.objects.get(title="Spring surgery").status == SurgeryDay.Status.PUBLISHED


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_publishing_a_day_with_no_surgeons_warns_then_publishes_anyway(page, screen):
    organisation = OrganisationFactory()
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")
    day = SurgeryDayFactory(organisation=organisation, title="Autumn surgery", status=SurgeryDay.Status.DRAFT)
    page.set_viewport_size(screen)

    log_in(page, organiser)
    page.goto(f"/organise/days/{day.pk}/")
    expect(page.locator("#day-status")).to_contain_text("Draft")
    page.get_by_role("button", name="Publish this day").click()

    expect(page.get_by_role("heading", name="Publish Autumn surgery?")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("No surgeons have joined this day yet")
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.DRAFT
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Publish anyway").click()

    expect(page.get_by_text("The day is published.")).to_be_visible()
    expect(page.locator("#day-status")).to_contain_text("Published Booking is open.")
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.PUBLISHED
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("link", name="Public page").click()
    expect(page.locator("#day-status")).to_contain_text("Published Booking is open.")
    assert_fits_width(page)


def test_surgeon_sets_availability(page):
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation, title="Spring surgery")
    surgeon = member(organisation, role=Membership.Role.SURGEON, display_name="Sam")
    DaySurgeonFactory(day=day, person=surgeon)

    log_in(page, surgeon)
    page.goto(f"/days/{day.pk}/")
    page.get_by_role("link", name="Your availability as a surgeon").click()
    assert_accessible(page)
    page.get_by_label("When are you free?*").fill("10:00-11:00")
    page.get_by_label("Most sessions you would like*").fill("2")
    page.get_by_role("button", name="Save my availability").click()

    expect(page.get_by_role("heading", name="Day sheet for Sam")).to_be_visible()
    assert_accessible(page)
    assert Slot.objects.filter(day=day, is_offered=True).count() == 2
    assert DaySurgeon.objects.get(day=day).max_sessions == 2


def test_saving_unchanged_day_details_keeps_the_date(page):
    organisation = OrganisationFactory()
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")
    day = SurgeryDayFactory(organisation=organisation, title="Winter surgery", status=SurgeryDay.Status.DRAFT)
    day.booking_opens_at = day.starts_at - timedelta(days=3)
    day.save()

    log_in(page, organiser)
    page.goto(f"/organise/days/{day.pk}/")
    page.get_by_role("link", name="Change details").click()
    page.get_by_role("button", name="Save day").click()

    expect(page.get_by_text("Changes saved.")).to_be_visible()
    saved = SurgeryDay.objects.get(pk=day.pk)
    assert (saved.starts_at, saved.booking_opens_at) == (day.starts_at, day.booking_opens_at)
