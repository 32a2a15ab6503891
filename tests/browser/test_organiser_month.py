"""An organiser's month, as one journey through real pages: a monthly series of six
dates across a change of the clocks, one date moved, a message to the learners of a
day, its attendee list and sign-in sheet, and a surgeon who cannot come whose two
learners are looked after. Every page is scanned with axe on a desktop screen and on
a 390 px phone.

The dates are worked out from today, so the journey keeps its meaning whenever it
runs: the series always starts on a second Saturday whose six dates span a change.
"""

import csv
import io
import os
import zoneinfo
from datetime import date, timedelta
from pathlib import Path

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Membership
from surgeries.exporters import HEADERS
from surgeries.models import Booking, DaySeries, SurgeonWithdrawal, SurgeryDay, WaitingListEntry
from surgeries.services import booking_create
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in, log_out
from tests.factories import (
    DaySurgeonFactory,
    OrganisationFactory,
    SlotFactory,
    SurgeryDayFactory,
    TopicFactory,
    VenueFactory,
    local_datetime,
    member,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _check(page, name: str) -> None:
    """axe and no sideways scrolling at both sizes; a screenshot of each when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_fits_width(page)
        if folder:
            page.screenshot(path=str(Path(folder) / f"month-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _second_saturday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(5 - first.weekday()) % 7 + 7)


def _months_after(start: date, count: int) -> list[date]:
    months = [(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1) for n in range(1, count + 1)]
    return [_second_saturday(year, month) for year, month in months]


def _source_date() -> date:
    """The first second Saturday, a month or more away, whose next six span a clock change."""
    today = timezone.now().date()
    for ahead in range(1, 13):
        year, month = today.year + (today.month - 1 + ahead) // 12, (today.month - 1 + ahead) % 12 + 1
        start = _second_saturday(year, month)
        dates = _months_after(start, 6)
        offsets = {local_datetime(on, 10).astimezone(LONDON).utcoffset() for on in dates}
        if len(offsets) == 2:
            return start
    raise AssertionError("Every six months hold a change of the clocks in London")


def _zone_name(on: date) -> str:
    return local_datetime(on, 10).astimezone(LONDON).tzname()


def _the_network():
    """Leeds: Priya organises, Sam and Kim are surgeons (Kim helps with Facebook),
    Ada (Facebook) and Bo (Zoom) are booked with Sam on the first day."""
    organisation = OrganisationFactory(name="Leeds surgery", slug="leeds")
    venue = VenueFactory(organisation=organisation, name="Central Library", time_zone="Europe/London")
    organiser = member(organisation, role=Membership.Role.ORGANISER, display_name="Priya", email="priya@example.org")
    sam = member(organisation, role=Membership.Role.SURGEON, display_name="Sam", email="sam@example.org")
    kim = member(organisation, role=Membership.Role.SURGEON, display_name="Kim", email="kim@example.org")
    ada = member(organisation, display_name="Ada", email="ada@example.org")
    bo = member(organisation, display_name="Bo", email="bo@example.org")
    facebook = TopicFactory(organisation=organisation, name="Facebook")
    zoom = TopicFactory(organisation=organisation, name="Zoom")
    on = _source_date()
    day = SurgeryDayFactory(
        organisation=organisation,
        venue=venue,
        title="Monthly surgery",
        status=SurgeryDay.Status.PUBLISHED,
        starts_at=local_datetime(on, 10),
        ends_at=local_datetime(on, 15),
        booking_opens_at=timezone.now() - timedelta(days=1),
    )
    with_sam = DaySurgeonFactory(day=day, person=sam)
    with_sam.topics.set([facebook, zoom])
    with_kim = DaySurgeonFactory(day=day, person=kim)
    with_kim.topics.set([facebook])
    SlotFactory(day_surgeon=with_kim, starts_at=day.starts_at + timedelta(hours=1))
    booking_create(slot_id=SlotFactory(day_surgeon=with_sam).pk, learner=ada, topic_ids=[facebook.pk])
    later = day.starts_at + timedelta(minutes=30)
    booking_create(slot_id=SlotFactory(day_surgeon=with_sam, starts_at=later).pk, learner=bo, topic_ids=[zoom.pk])
    return day, organiser, sam


def test_an_organisers_month_from_series_to_a_surgeon_who_cannot_come(page):
    day, organiser, sam = _the_network()
    dates = _months_after(day.starts_at.astimezone(LONDON).date(), 6)
    moving, moved_to = dates[3], dates[3] + timedelta(days=7)

    # A monthly series of six dates, previewed before anything is made.
    log_in(page, organiser)
    page.goto(f"/organise/days/{day.pk}/")
    _check(page, "day")
    page.get_by_role("link", name="Repeat as a series").click()
    page.get_by_label("Number of dates", exact=True).fill("6")
    page.get_by_role("button", name="Show the dates").click()
    expect(page.get_by_role("heading", name="6 new draft days")).to_be_visible()
    for on in (dates[0], dates[-1]):
        expect(page.get_by_text(f"{on:%A} {on.day} {on:%B %Y}, 10:00 {_zone_name(on)}")).to_be_visible()
    assert {_zone_name(on) for on in dates} == {"GMT", "BST"}
    _check(page, "series-preview")
    assert not DaySeries.objects.exists()
    page.get_by_role("button", name="Create 6 draft days").click()
    expect(page.get_by_text("6 draft days are ready.")).to_be_visible()
    _check(page, "series")

    # One date moved a week later: still 10:00 at the venue.
    moving_text = f"{moving:%A} {moving.day} {moving:%B %Y}"
    page.get_by_label(f"Move to (instead of {moving_text})").fill(moved_to.isoformat())
    page.get_by_role("button", name=f"Move {moving_text}").click()
    expect(page.get_by_text(f"is moved to {moved_to.day} {moved_to:%B %Y}.")).to_be_visible()
    series = DaySeries.objects.get()
    held = [d.starts_at.astimezone(LONDON) for d in series.days.order_by("starts_at")]
    assert [when.date() for when in held] == [*dates[:3], moved_to, *dates[4:]]
    assert {when.hour for when in held} == {10}
    page.get_by_role("link", name="Bring drafts up to date").click()
    expect(page.get_by_role("heading", name="6 drafts to remake")).to_be_visible()
    _check(page, "series-refresh")
    page.get_by_role("link", name="Cancel").click()
    assert series.days.count() == 6

    # A message to the learners of the first day, checked before it goes.
    page.goto(f"/organise/days/{day.pk}/")
    page.get_by_role("link", name="Messages to attendees").click()
    page.get_by_label("Learners with a one-to-one session").check()
    page.get_by_role("textbox", name="Subject").fill("Room change")
    page.get_by_role("textbox", name="Message").fill("We are in Room 4 this time.")
    page.get_by_role("button", name="Check the message").click()
    expect(page.get_by_role("button", name="Send to 2 people")).to_be_visible()
    _check(page, "message-preview")
    mail.outbox.clear()
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.get_by_text("Your message is on its way to 2 people.")).to_be_visible()
    _check(page, "messages")
    assert sorted(m.to[0] for m in mail.outbox if "Room change" in m.subject) == ["ada@example.org", "bo@example.org"]

    # The attendee list, and the sign-in sheet as it prints.
    page.goto(f"/organise/days/{day.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == HEADERS
    assert [(row[1], row[4]) for row in rows[1:]] == [("Ada", "Sam"), ("Bo", "Sam")]
    page.get_by_role("link", name="Sign-in sheet").click()
    expect(page.get_by_role("rowheader", name="Ada")).to_be_visible()
    _check(page, "sign-in-sheet")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("rowheader", name="Bo")).to_be_visible()
    page.emulate_media(media="screen")
    log_out(page)

    # Sam cannot come: Ada moves to Kim, who helps with Facebook; nobody else helps
    # with Zoom, so Bo waits. Each is told once, and the organiser sees what happened.
    log_in(page, sam)
    page.goto(f"/days/{day.pk}/day-sheet/")
    page.get_by_role("link", name="I can't come to this day").click()
    expect(page.get_by_text("Your 2 learners will be told at once.")).to_be_visible()
    _check(page, "withdraw")
    mail.outbox.clear()
    page.get_by_role("button", name="Yes, withdraw from the day").click()
    expect(page.get_by_text("1 learner moved to another session and 1 learner put on the waiting list")).to_be_visible()
    _check(page, "withdrawn")
    assert Booking.objects.get(learner__display_name="Ada", status=Booking.Status.ACTIVE).surgeon.display_name == "Kim"
    assert WaitingListEntry.objects.filter(day=day, person__display_name="Bo").exists()
    log_out(page)

    log_in(page, organiser)
    page.goto(f"/days/{day.pk}/notifications/")
    expect(page.get_by_text("Learners told: 1 moved to another session, 1 put on the waiting list.")).to_be_visible()
    _check(page, "notifications")
    assert SurgeonWithdrawal.objects.get(day=day).day_surgeon.person == sam
