"""Pages reflow on a phone-sized screen: wide tables scroll inside their own box."""

import pytest
from playwright.sync_api import expect

from people.models import Membership
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import MembershipFactory, OrganisationFactory, SurgeryDayFactory, TopicFactory, UserFactory


@pytest.fixture
def phone_page(page):
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_main_pages_fit_a_phone_screen(phone_page):
    organisation = OrganisationFactory(slug="leeds")
    organiser = UserFactory(email="olu@example.org")
    MembershipFactory(organisation=organisation, person=organiser, role=Membership.Role.ORGANISER)
    for index in range(6):
        MembershipFactory(organisation=organisation, person=UserFactory(display_name=f"Person number {index}"))
    TopicFactory(organisation=organisation, name="Privacy and safety settings on every platform")
    SurgeryDayFactory(organisation=organisation, title="A surgery day with quite a long title indeed")

    phone_page.goto("/")
    assert_fits_width(phone_page)
    log_in(phone_page, "olu@example.org")
    for path in ["/", "/my/profile/", "/organisations/leeds/people/", "/organisations/leeds/topics/"]:
        phone_page.goto(path)
        assert_fits_width(phone_page)
        assert_accessible(phone_page)


def _header_height(page) -> float:
    return page.locator("header").bounding_box()["height"]


@pytest.mark.parametrize("scripts", [True, False], ids=["with-javascript", "without-javascript"])
def test_phone_menu_is_one_button_that_opens_the_links(browser, live_server, transactional_db, scripts):
    """At 390 px the links sat on four lines above every page; now one "Menu"
    button opens them, with or without JavaScript, and every link is a large target."""
    organisation = OrganisationFactory(slug="leeds")
    learner = UserFactory(email="ada@example.org", display_name="Ada")
    MembershipFactory(organisation=organisation, person=learner)
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=scripts, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        log_in(page, learner)
        page.goto("/")
        bookings = page.get_by_role("link", name="My bookings")
        expect(bookings).to_be_hidden()
        assert _header_height(page) < 100
        if scripts:  # axe runs as a script of the page
            assert_fits_width(page)
            assert_accessible(page)

        page.get_by_text("Menu", exact=True).click()
        expect(bookings).to_be_visible()
        for name in ("Surgery days", "My bookings", "My workshops", "Past sessions", "My profile", "Log out"):
            assert page.get_by_role("link", name=name).bounding_box()["height"] >= 44
        if scripts:
            assert_fits_width(page)
            assert_accessible(page)
        bookings.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My bookings")
    finally:
        context.close()


def test_wide_screen_shows_the_links_without_a_menu_button(page):
    organisation = OrganisationFactory(slug="leeds")
    MembershipFactory(organisation=organisation, person=UserFactory(email="ada@example.org"))
    page.set_viewport_size({"width": 1280, "height": 800})

    log_in(page, "ada@example.org")

    expect(page.get_by_role("link", name="Past sessions")).to_be_visible()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    assert_accessible(page)


def test_a_message_after_an_action_takes_the_focus(page):
    """A status region there from the start of a page is not read out; the message
    ("You have logged in", "Booked", an error) now takes focus, so it is."""
    organisation = OrganisationFactory(slug="leeds")
    MembershipFactory(organisation=organisation, person=UserFactory(email="ada@example.org"))

    log_in(page, "ada@example.org")

    focused = page.evaluate("document.activeElement.id")
    assert focused == "messages"
    expect(page.locator("#messages")).to_contain_text("Successfully signed in")
