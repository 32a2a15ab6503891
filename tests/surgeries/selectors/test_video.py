"""Who sees an online session's video link, and from when."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string

from surgeries.models import SurgeryDay
from surgeries.selectors.video import SessionVideo, session_video
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    VenueFactory,
    booked_slot,
    local_datetime,
)

pytestmark = pytest.mark.django_db

DAY_LINK = "https://meet.example.org/day-room"
OWN_LINK = "https://video.example.org/sam"


def _online_booking(*, mode=SurgeryDay.Mode.ONLINE, surgeon_online=False, own_link="", starts=None, minutes=60):
    venue = VenueFactory(address="")
    fields = {"starts_at": starts} if starts else {}
    day = SurgeryDayFactory(
        organisation=venue.organisation,
        venue=venue,
        mode=mode,
        online_link=DAY_LINK,
        link_shown_minutes_before=minutes,
        **fields,
    )
    if starts:
        day.ends_at = starts + timedelta(hours=5)
        day.save()
    day_surgeon = DaySurgeonFactory(day=day, is_online=surgeon_online, video_link=own_link)
    return booked_slot(slot=SlotFactory(day_surgeon=day_surgeon))


def test_session_video_waits_for_the_time_then_gives_the_days_link():
    booking = _online_booking()
    starts = booking.slot.starts_at

    before = session_video(booking=booking, viewer_id=booking.learner_id, now=starts - timedelta(minutes=61))
    after = session_video(booking=booking, viewer_id=booking.learner_id, now=starts - timedelta(minutes=60))

    assert before == SessionVideo(shown_from=starts - timedelta(minutes=60))
    assert after == SessionVideo(shown_from=starts - timedelta(minutes=60), shown=True, url=DAY_LINK)


def test_session_video_prefers_the_surgeons_own_link():
    booking = _online_booking(own_link=OWN_LINK)

    video = session_video(booking=booking, viewer_id=booking.surgeon_id, now=booking.slot.starts_at)

    assert video.url == OWN_LINK


def test_session_video_is_none_for_anyone_but_the_pair_unless_an_organiser():
    booking = _online_booking()
    now = booking.slot.starts_at

    other_learner = session_video(booking=booking, viewer_id=UserFactory().pk, now=now)
    visitor = session_video(booking=booking, viewer_id=None, now=now)
    organiser = session_video(booking=booking, viewer_id=UserFactory().pk, now=now, organiser=True)

    assert (other_learner, visitor, organiser.url) == (None, None, DAY_LINK)


@pytest.mark.parametrize(
    ("mode", "surgeon_online", "online"),
    [
        (SurgeryDay.Mode.IN_PERSON, True, False),
        (SurgeryDay.Mode.HYBRID, False, False),
        (SurgeryDay.Mode.HYBRID, True, True),
        (SurgeryDay.Mode.ONLINE, False, True),
    ],
)
def test_session_video_only_for_online_sessions(mode, surgeon_online, online):
    venue = VenueFactory()
    day = SurgeryDayFactory(organisation=venue.organisation, venue=venue, mode=mode)
    SurgeryDay.objects.filter(pk=day.pk).update(online_link=DAY_LINK)
    day.refresh_from_db()
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day, is_online=surgeon_online)))

    video = session_video(booking=booking, viewer_id=booking.learner_id, now=booking.slot.starts_at)

    assert (video is not None) == online


@pytest.mark.parametrize(
    ("session", "minutes", "shown_from", "says"),
    [
        # Clocks go forward at 01:00 UTC on 28 March 2027: 10 hours before 09:00 BST
        # is 22:00 GMT the evening before, eleven hours by the clock.
        (
            local_datetime(date(2027, 3, 28), 9),
            600,
            datetime(2027, 3, 27, 22, tzinfo=UTC),
            "The video link appears here from Saturday 27 March 2027 at 22:00 GMT.",
        ),
        # Clocks go back at 01:00 UTC on 31 October 2027: 10 hours before 09:00 GMT
        # is 00:00 BST the same morning, nine hours by the clock.
        (
            local_datetime(date(2027, 10, 31), 9),
            600,
            datetime(2027, 10, 30, 23, tzinfo=UTC),
            "The video link appears here from 00:00 BST.",
        ),
    ],
)
def test_video_link_appears_from_counts_elapsed_time_across_a_clock_change(session, minutes, shown_from, says):
    booking = _online_booking(starts=session, minutes=minutes)

    video = session_video(booking=booking, viewer_id=booking.learner_id, now=session - timedelta(days=1))
    html = render_to_string(
        "surgeries/_video_link.html", {"video": video, "starts_at": session, "zone": "Europe/London"}
    )

    assert video.shown_from == shown_from
    assert says in " ".join(html.split())
    assert DAY_LINK not in html
