"""A surgeon who cannot come withdraws from their day sheet, on a desktop screen and on a 390 px phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import Booking, SurgeonWithdrawal, WaitingListEntry
from surgeries.services import booking_create
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, SurgeryDayFactory, TopicFactory, member

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", SCREENS)
def test_surgeon_withdraws_from_day_after_confirming(page, screen):
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation, title="Spring surgery")
    surgeon = member(organisation, role=Membership.Role.SURGEON, display_name="Sam")
    ann, bo = member(organisation, display_name="Ann"), member(organisation, display_name="Bo")
    facebook = TopicFactory(organisation=organisation, name="Facebook")
    leaving = DaySurgeonFactory(day=day, person=surgeon)
    booking_create(slot_id=SlotFactory(day_surgeon=leaving).pk, learner=ann, topic_ids=[facebook.pk])
    later = day.starts_at + timedelta(minutes=30)
    booking_create(slot_id=SlotFactory(day_surgeon=leaving, starts_at=later).pk, learner=bo)
    helper = DaySurgeonFactory(day=day)
    helper.topics.set([facebook])
    SlotFactory(day_surgeon=helper, starts_at=day.starts_at + timedelta(hours=1))
    page.set_viewport_size(SCREENS[screen])

    log_in(page, surgeon)
    page.goto(f"/days/{day.pk}/day-sheet/")
    page.get_by_role("link", name="I can't come to this day").click()

    expect(page.get_by_role("heading", name="You can't come to Spring surgery?")).to_be_visible()
    expect(page.get_by_text("Your 2 learners will be told at once.")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Yes, withdraw from the day").click()

    expect(page.get_by_text("We have told your learners: 1 learner moved to another session")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    assert Booking.objects.get(learner=ann, status=Booking.Status.ACTIVE).surgeon == helper.person
    assert WaitingListEntry.objects.filter(day=day, person=bo, status=WaitingListEntry.Status.WAITING).exists()
    assert SurgeonWithdrawal.objects.get(day=day).day_surgeon == leaving
