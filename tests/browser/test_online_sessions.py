"""A learner on a hybrid day: finds an online session, books it, and finds its video link in
My bookings once the time has come, on a 390 px phone and on a desktop screen."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import SurgeryDay
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, SurgeryDayFactory, member

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LINK = "https://video.example.org/ann-room"


def _screenshot(page, name):
    """Kept for checking by eye when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _hybrid_day_starting_soon():
    """Ann meets people online from 30 minutes from now, Ben in person: the link shows an hour before."""
    organisation = OrganisationFactory()
    starts = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    day = SurgeryDayFactory(
        organisation=organisation,
        title="Hybrid surgery",
        mode=SurgeryDay.Mode.HYBRID,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    for name, online in (("Ann", True), ("Ben", False)):
        person = member(organisation, role=Membership.Role.SURGEON, display_name=name)
        day_surgeon = DaySurgeonFactory(day=day, person=person, is_online=online, video_link=LINK if online else "")
        SlotFactory(day_surgeon=day_surgeon)
    return organisation, day


@pytest.mark.parametrize(("screen", "name"), [(PHONE, "390"), (DESKTOP, "desktop")])
def test_learner_books_an_online_session_and_finds_the_video_link_in_my_bookings(page, screen, name):
    organisation, day = _hybrid_day_starting_soon()
    learner = member(organisation, role=Membership.Role.MEMBER, display_name="Lee")
    page.set_viewport_size(screen)
    log_in(page, learner)

    page.goto(f"/days/{day.pk}/")
    expect(page.locator(".free-time-mode", has_text="Online")).to_have_count(1)
    expect(page.locator(".free-time-mode", has_text="In person")).to_have_count(1)
    page.get_by_label("Online or in person").select_option(label="Online")
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_text("1 free session match what you chose.")).to_be_visible()
    assert_fits_width(page)
    assert_accessible(page)
    _screenshot(page, f"day-page-hybrid-{name}")
    # The public page never has the link, even for someone about to book.
    assert LINK not in page.content()

    page.get_by_role("link", name=re.compile(r"^Book .*with Ann \(online\)")).click()
    expect(page.get_by_text("Online, by video call.")).to_be_visible()
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_text("You are booked in.")).to_be_visible()

    # Now on My bookings: the session starts in half an hour, inside the hour the link shows.
    expect(page.get_by_role("heading", name="My bookings")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Hybrid surgery")
    expect(row.get_by_text("Online session.")).to_be_visible()
    expect(row.get_by_role("link", name=re.compile(r"^Join the video call"))).to_have_attribute("href", LINK)
    _screenshot(page, f"my-bookings-online-{name}")
    assert_fits_width(page)
    assert_accessible(page)
