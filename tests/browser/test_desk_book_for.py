"""An organiser books for someone who phoned, on a phone and at a desk: the number question, then the booking."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from people.models import Membership, Topic
from people.services import person_create_for_organisation
from surgeries.models import Booking
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, SurgeryDayFactory, member

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _day():
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation, title="Spring surgery", max_sessions_per_learner=2)
    Topic.objects.create(organisation=organisation, name="Staying safe online")
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=member(organisation, display_name="Sam Surgeon")))
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")
    # Booked by phone once before, with no email address.
    person_create_for_organisation(organisation=organisation, display_name="Sam B", phone="+447700900123")
    return day, organiser


def _screenshot(page, name):
    """Kept for checking by eye when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("screen", SCREENS)
def test_organiser_books_for_someone_who_phoned(page, screen):
    day, organiser = _day()
    page.set_viewport_size(SCREENS[screen])
    log_in(page, organiser)

    page.goto(f"/organise/days/{day.pk}/desk/")
    page.get_by_role("link", name="Book for someone").click()
    expect(page.get_by_role("heading", name="Book for someone")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Sammy")
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    page.get_by_label("Staying safe online").check()
    page.get_by_label("with Sam Surgeon").check()
    page.get_by_label("By phone").check()
    assert_fits_width(page)
    assert_accessible(page)
    _screenshot(page, f"book-for-someone-{screen}")
    page.get_by_role("button", name="Book for them").click()

    # Ticking nothing: consent is asked for, and the number is recognised.
    expect(page.get_by_text("Please ask them, and tick to confirm they agreed, before booking.")).to_be_visible()
    page.get_by_label("They agreed to us booking for them and keeping these details").check()
    page.get_by_role("button", name="Book for them").click()
    expect(page.get_by_text("Sam B already has this phone number. Is this Sam B?")).to_be_visible()
    assert_accessible(page)
    _screenshot(page, f"book-for-someone-question-{screen}")
    page.get_by_label("Yes, book them").check()
    page.get_by_label("They agreed to us booking for them and keeping these details").check()
    page.get_by_role("button", name="Book for them").click()

    expect(page.get_by_role("heading", name="Sam B is booked")).to_be_visible()
    expect(page.get_by_text("No email: tell them the time yourself.")).to_be_visible()
    expect(page.get_by_text("07700 900123")).to_be_visible()
    assert_fits_width(page)
    assert_accessible(page)
    _screenshot(page, f"book-for-someone-done-{screen}")
    booking = Booking.objects.get()
    assert (booking.learner.display_name, booking.on_behalf, booking.is_walk_in) == ("Sam B", "phone", False)
    assert [topic.name for topic in booking.topics.all()] == ["Staying safe online"]
