"""An organiser writes to the learners of a day, downloads its attendee list and opens the sign-in sheet."""

import csv
import io
import os
from datetime import timedelta
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from outbox.models import Notification
from people.models import Membership
from surgeries.exporters import HEADERS
from surgeries.models import WaitingListEntry
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, SurgeryDayFactory, booked_slot, member


def _day_with_two_learners():
    organisation = OrganisationFactory(slug="leeds")
    member(organisation, role=Membership.Role.ORGANISER, email="olu@example.org", display_name="Olu")
    surgeon = member(organisation, role=Membership.Role.SURGEON, email="sam@example.org", display_name="Sam")
    day = SurgeryDayFactory(organisation=organisation, title="Spring surgery")
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    for index, name in enumerate(["Ada", "Bo"]):
        slot = SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * index))
        booked_slot(slot=slot, learner=member(organisation, email=f"{name.lower()}@example.org", display_name=name))
    waiting = member(organisation, email="wes@example.org", display_name="Wes")
    WaitingListEntry.objects.create(day=day, person=waiting)
    return day


def _screenshot(page, name):
    """Kept for checking by eye when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _check_phone_width(page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits_width(page)
    assert_accessible(page)
    _screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_organiser_messages_the_learners_downloads_the_list_and_opens_the_sign_in_sheet(page):
    day = _day_with_two_learners()
    log_in(page, "olu@example.org")
    page.goto(f"/organise/days/{day.pk}/")

    page.get_by_role("link", name="Messages to attendees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages to the people of Spring surgery")
    assert_accessible(page)
    _check_phone_width(page, "messages")
    page.get_by_role("button", name="Check the message").click()
    expect(page.get_by_text("Write the message before checking it.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Learners with a one-to-one session").check()
    page.get_by_role("textbox", name="Subject").fill("Room change")
    page.get_by_role("textbox", name="Message").fill("We are in Room 4 this time.")
    page.get_by_role("button", name="Check the message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your message")
    send = page.get_by_role("button", name="Send to 2 people")
    expect(send).to_be_visible()
    assert_accessible(page)
    _screenshot(page, "preview")
    _check_phone_width(page, "preview")
    assert not Notification.objects.filter(kind="surgeries.day_message").exists()
    mail.outbox.clear()
    send.click()

    expect(page.get_by_text("Your message is on its way to 2 people.")).to_be_visible()
    expect(page.get_by_role("row", name="Room change")).to_be_visible()
    assert_accessible(page)
    assert sorted(m.to[0] for m in mail.outbox if "Room change" in m.subject) == ["ada@example.org", "bo@example.org"]

    page.goto(f"/organise/days/{day.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == HEADERS
    assert [(row[1], row[4]) for row in rows[1:]] == [("Ada", "Sam"), ("Bo", "Sam")]

    page.get_by_role("link", name="Sign-in sheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in sheet: Spring surgery")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Ada")).to_be_visible()
    assert_accessible(page)
    _check_phone_width(page, "sign-in-sheet")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("rowheader", name="Bo")).to_be_visible()
    _screenshot(page, "sign-in-sheet-print")
    page.emulate_media(media="screen")

    page.goto(f"/organise/days/{day.pk}/desk-list/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Desk list: Spring surgery")
    assert_accessible(page)
    _check_phone_width(page, "desk-list")
