"""Who sees an online session's video link, and from when: the one rule every page and email asks.

A video link is a way into a private conversation, so it is treated like the
session's notes: the booked pair (learner and surgeon) and the day's organisers
see it, nobody else, and even they only from the day's "show the link N minutes
before" onwards, so a link copied from an old page or forwarded early is not a
standing invitation. Public pages, the programme, the calendar feed and exports
never show it; they are not built from this module.
"""

from dataclasses import dataclass
from datetime import datetime

from surgeries.models import Booking


@dataclass(frozen=True)
class SessionVideo:
    """What a page says about an online session's video link for one person."""

    shown_from: datetime
    shown: bool = False  # False until `shown_from`: pages say when it will show
    url: str = ""  # empty until `shown_from`, or while nobody has set a link


def in_the_pair(booking: Booking, person_id: int | None) -> bool:
    return person_id is not None and person_id in (booking.learner_id, booking.surgeon_id)


def session_video(
    *, booking: Booking, viewer_id: int | None, now: datetime, organiser: bool = False
) -> SessionVideo | None:
    """The video link of `booking` as `viewer_id` may see it at `now`.

    None when the session is in person or the viewer is neither one of the pair nor
    (`organiser`, which the caller has checked for the day) an organiser. Reads
    `booking.day` and `booking.slot.day_surgeon`: select them with the booking.
    """
    if not (organiser or in_the_pair(booking, viewer_id)):
        return None
    day, day_surgeon = booking.day, booking.slot.day_surgeon
    if not day.sessions_online(surgeon_online=day_surgeon.is_online):
        return None
    shown_from = day.video_link_shown_from(booking.slot.starts_at)
    if now < shown_from:
        return SessionVideo(shown_from=shown_from)
    return SessionVideo(shown_from=shown_from, shown=True, url=day_surgeon.video_link or day.online_link)
