import re

from playwright.sync_api import expect

from people.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import TEST_PASSWORD, SurgeryDayFactory, UserFactory


def test_home_page_explains_surgeries_and_lists_days(page):
    SurgeryDayFactory(title="Spring surgery")

    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Free, friendly help with social media")
    expect(page.get_by_role("heading", name="Spring surgery")).to_be_visible()
    assert_accessible(page)


def test_home_page_keyboard_user_can_skip_to_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()


def test_sign_up_requires_code_of_conduct_then_creates_account(page):
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email*", exact=True).fill("robin@example.org")
    page.get_by_label("Your name*", exact=True).fill("Robin")
    page.get_by_label("Password*", exact=True).fill("bright-kettle-harbour-77")
    page.get_by_label("Password (again)*", exact=True).fill("bright-kettle-harbour-77")
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_text("You need to agree to the code of conduct to join.")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.filter(email="robin@example.org").exists()

    page.get_by_label("Password*", exact=True).fill("bright-kettle-harbour-77")
    page.get_by_label("Password (again)*", exact=True).fill("bright-kettle-harbour-77")
    page.get_by_label(re.compile("I have read and agree to the")).check()
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_text("Signed in as Robin", exact=True).filter(visible=True)).to_be_visible()
    assert User.objects.get(email="robin@example.org").code_of_conduct_accepted_at is not None


def test_log_in_and_log_out(page):
    UserFactory(email="sam@example.org", display_name="Sam")

    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email*", exact=True).fill("sam@example.org")
    page.get_by_label("Password*", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Signed in as Sam", exact=True).filter(visible=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Log out").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign Out").click()

    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_text("Signed in as Sam", exact=True)).to_have_count(0)
