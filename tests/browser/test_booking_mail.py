"""A learner books in the browser and the confirmation arrives with its calendar file."""

from datetime import date

from django.core import mail
from playwright.sync_api import expect

from people.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    DaySurgeonFactory,
    MembershipFactory,
    SlotFactory,
    SurgeryDayFactory,
    TopicFactory,
    UserFactory,
    local_datetime,
)


def _ics_fields(content: str) -> dict[str, str]:
    lines = content.replace("\r\n ", "").split("\r\n")
    return dict(line.split(":", 1) for line in lines if ":" in line)


def test_learner_books_and_gets_confirmation_with_calendar_file(page):
    day = SurgeryDayFactory(
        title="Summer surgery",
        starts_at=local_datetime(date(2031, 7, 8), 10),
        ends_at=local_datetime(date(2031, 7, 8), 15),
    )
    surgeon = UserFactory(display_name="Sam Surgeon")
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))
    TopicFactory(organisation=day.organisation, name="Privacy settings")
    learner = UserFactory(email="lee@example.org", display_name="Lee")
    MembershipFactory(organisation=day.organisation, person=learner, role=Membership.Role.MEMBER)

    log_in(page, "lee@example.org", scan=True)
    page.goto(f"/days/{day.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Book 10:00 BST with Sam Surgeon").click()
    assert_accessible(page)
    page.get_by_label("Privacy settings").check()
    page.get_by_label("A note for your surgeon (optional)").fill("I would like to lock down my profile.")
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_text("You are booked in.")).to_be_visible()
    assert_accessible(page)

    (confirmation,) = [m for m in mail.outbox if m.to == ["lee@example.org"]]
    ((filename, content, mimetype),) = confirmation.attachments
    ics = _ics_fields(content)
    assert confirmation.subject == "Surgery Day: Booked: Tuesday 8 July 2031, 10:00 BST"
    assert "When: Tuesday 8 July 2031, 10:00 BST to 10:30 BST" in confirmation.body
    assert (filename, mimetype) == ("surgery-session.ics", "text/calendar")
    assert (ics["DTSTART"], ics["DTEND"]) == ("20310708T090000Z", "20310708T093000Z")
    assert ics["SUMMARY"] == "Social media surgery with your surgeon Sam Surgeon"
    assert ics["LOCATION"].startswith(day.venue.name)
    (notice,) = [m for m in mail.outbox if m.to == [surgeon.email]]
    assert "Would like help with: Privacy settings" in notice.body
    assert slot.bookings.get().learner == learner
