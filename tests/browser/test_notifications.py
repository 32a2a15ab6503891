from playwright.sync_api import expect

from outbox.models import Notification
from outbox.services import notification_schedule
from people.models import Membership
from surgeries.notifications import DAY_REMINDER, HOUR_BEFORE
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import MembershipFactory, SurgeryDayFactory, UserFactory


def test_organiser_reads_a_days_notification_failures(page):
    organiser = UserFactory(email="olu@example.org", display_name="Olu")
    day = SurgeryDayFactory(title="Spring surgery")
    MembershipFactory(organisation=day.organisation, person=organiser, role=Membership.Role.ORGANISER)
    row = notification_schedule(kind=DAY_REMINDER, recipient=UserFactory(), subject=day, slot=HOUR_BEFORE)
    Notification.objects.filter(pk=row.pk).update(state=Notification.State.FAILED, last_error="SMTPDataError 554")

    log_in(page, "olu@example.org")
    page.goto(f"/days/{day.pk}/notifications/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications for Spring surgery")
    expect(page.get_by_role("cell", name="SMTPDataError 554")).to_be_visible()
    assert_accessible(page)


def test_person_turns_off_reminders_with_the_keyboard(page):
    UserFactory(email="lee@example.org", display_name="Lee")

    log_in(page, "lee@example.org")
    page.goto("/account/emails/")
    assert_accessible(page)
    checkbox = page.get_by_label("Send me reminders before the things I have booked")
    checkbox.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    expect(page.get_by_label("Send me reminders before the things I have booked")).not_to_be_checked()
    assert_accessible(page)
