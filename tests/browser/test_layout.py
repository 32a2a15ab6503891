"""Pages reflow on a phone-sized screen: wide tables scroll inside their own box."""

import pytest

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
