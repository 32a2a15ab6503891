"""The day's programme and My bookings show workshops beside one-to-one sessions."""

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    DaySurgeonFactory,
    MembershipFactory,
    OpenSpaceFactory,
    OrganisationFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    registered,
)


def test_programme_shows_a_workshop_beside_the_slots_and_my_bookings_lists_the_place(page):
    organisation = OrganisationFactory()
    learner = UserFactory(display_name="Ade")
    MembershipFactory(organisation=organisation, person=learner)
    day = SurgeryDayFactory(organisation=organisation, title="Spring surgery")
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person__display_name="Sam"), starts_at=day.starts_at)
    workshop = WorkshopFactory(day=day, title="Staying safe online", room="Room 2", capacity=8)
    OpenSpaceFactory(day=day, title="Tea and chat", starts_at=day.starts_at + timedelta(hours=2))
    registered(workshop=workshop, person=learner)
    log_in(page, learner)

    page.goto(f"/days/{day.pk}/programme/")

    first_row = page.get_by_role("row").nth(1)
    expect(first_row.get_by_role("link", name="Staying safe online")).to_be_visible()
    expect(first_row.get_by_text("Sam:")).to_be_visible()
    expect(page.get_by_text("7 places left.")).to_be_visible()
    expect(page.get_by_text("Tea and chat")).to_be_visible()
    assert_accessible(page)

    page.goto("/bookings/")

    expect(page.get_by_role("link", name="Staying safe online", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Participant")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel (Staying safe online)").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
