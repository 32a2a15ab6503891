import re
from datetime import timedelta

from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import Booking
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, SurgeryDayFactory, TopicFactory, member


def _day_with_two_slots():
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation, title="Spring surgery")
    surgeon = member(organisation, role=Membership.Role.SURGEON, display_name="Sam")
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    first = SlotFactory(day_surgeon=day_surgeon)
    second = SlotFactory(
        day_surgeon=day_surgeon, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(minutes=30)
    )
    TopicFactory(organisation=organisation, name="Privacy settings")
    return organisation, day, first, second


def test_learner_books_reschedules_and_cancels(page):
    organisation, _day, _first, second = _day_with_two_slots()
    learner = member(organisation, role=Membership.Role.MEMBER, display_name="Lee")

    log_in(page, learner)
    page.goto("/")
    page.get_by_role("link", name="Spring surgery").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Book \d")).first.click()
    assert_accessible(page)
    page.get_by_label("Privacy settings").check()
    page.get_by_label("A note for your surgeon (optional)").fill("My group's page")
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_text("You are booked in.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Change time")).click()
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Move my booking").click()
    expect(page.get_by_text("Your booking has moved to the new time.")).to_be_visible()
    assert Booking.objects.get(learner=learner, status=Booking.Status.ACTIVE).slot == second

    page.get_by_role("link", name=re.compile(r"^Cancel")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()
    assert not Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).exists()


def test_desk_checks_in_a_walk_in(page):
    organisation, day, first, _second = _day_with_two_slots()
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")

    log_in(page, organiser)
    page.goto(f"/organise/days/{day.pk}/desk/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a walk-in").click()
    assert_accessible(page)
    page.get_by_label("Email*").fill("wren@example.org")
    page.get_by_label("Name*", exact=True).fill("Wren")
    page.get_by_label("Session*").select_option(str(first.pk))
    page.get_by_label("They agree to us keeping their name and email").check()
    page.get_by_role("button", name="Book walk-in").click()
    expect(page.get_by_text("Wren is booked in as a walk-in.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Check in Wren").click()

    expect(page.get_by_text("Wren is checked in.")).to_be_visible()
    assert Booking.objects.get(learner__email="wren@example.org").checked_in_at is not None
    page.goto(f"/days/{day.pk}/programme/")
    expect(page.get_by_text("Booked: Wren")).to_be_visible()
    assert_accessible(page)
