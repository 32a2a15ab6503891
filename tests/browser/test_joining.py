"""A newcomer asks to join, an organiser approves from the Organise page, and the
newcomer chooses their topics: on a desktop screen and on a 390 px phone."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from outbox.sweep import send_inline, sweep_due
from people.models import Membership, TopicWant
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, log_out
from tests.factories import OrganisationFactory, TopicFactory, UserFactory, member
from tests.mail import mail_to

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _screenshot(page, name):
    """Kept for checking by eye when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _check(page):
    assert_fits_width(page)
    assert_accessible(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_newcomer_asks_organiser_approves_and_newcomer_chooses_topics(page, screen):
    leeds = OrganisationFactory(name="Leeds Social Media Surgery", slug="leeds")
    organiser = member(leeds, role=Membership.Role.ORGANISER, display_name="Priya", email="priya@example.org")
    TopicFactory(organisation=leeds, name="Blogging")
    TopicFactory(organisation=leeds, name="Dealing with trolls")
    newcomer = UserFactory(display_name="Nia", email="nia@example.org")
    page.set_viewport_size(SCREENS[screen])

    log_in(page, newcomer)
    page.goto("/organisations/leeds/join/")
    _check(page)
    page.get_by_label("A short message to the organisers (optional)").fill("I run a food bank's Facebook page.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_role("heading", name="Your request is waiting for an organiser")).to_be_visible()
    _check(page)
    _screenshot(page, f"join-waiting-{screen}")
    log_out(page)

    log_in(page, organiser)
    page.goto("/organise/")
    _check(page)
    _screenshot(page, f"organise-{screen}")
    page.get_by_role("link", name="1 request to join waiting").click()
    expect(page.get_by_text("I run a food bank's Facebook page.")).to_be_visible()
    _check(page)
    _screenshot(page, f"join-requests-{screen}")
    page.get_by_role("button", name="Approve Nia").click()
    expect(page.get_by_text("Nia is now a member.")).to_be_visible()
    expect(page.get_by_text("No requests are waiting.")).to_be_visible()
    _check(page)
    log_out(page)

    sweep_due(dispatch=send_inline)
    (welcome,) = [m for m in mail_to(newcomer) if "Welcome" in m.subject]
    topics_path = re.search(r"https?://[^/\s]+(/my/profile/topics/)", welcome.body).group(1)
    log_in(page, newcomer)
    page.goto(topics_path)
    _check(page)
    page.get_by_role("group", name="Dealing with trolls").get_by_label("I would like help with this").check()
    page.get_by_role("button", name="Save my topics").click()

    expect(page.get_by_text("Your topics are saved.")).to_be_visible()
    assert list(TopicWant.objects.filter(person=newcomer).values_list("topic__name", flat=True)) == [
        "Dealing with trolls"
    ]
