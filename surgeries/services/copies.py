"""Copying a day to another date: the organiser's "Copy this day", and every date
of a series (`surgeries/services/series.py`)."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from outbox.scheduling import local_time_on
from people.models import User
from people.selectors import is_organiser
from surgeries import errors, signals
from surgeries.models import DayBreak, DaySeries, DaySurgeon, SurgeryDay
from surgeries.services.surgeons import surgeon_join, surgeon_online_set, surgeon_topics_set


@dataclass
class DayCopy:
    """The new draft day and, in plain words, what was copied onto it."""

    day: SurgeryDay
    surgeons: list[str] = field(default_factory=list)
    programme: list[str] = field(default_factory=list)


def local_date(day: SurgeryDay) -> date:
    """The day's date at its venue."""
    return day.starts_at.astimezone(zoneinfo.ZoneInfo(day.time_zone)).date()


class Shift:
    """Moves a moment by whole days on the venue's calendar, keeping its wall-clock
    time: 10:00 stays 10:00 at the venue across a change of the clocks."""

    def __init__(self, *, zone: str, days: int):
        self.zone, self.days = zone, days

    def __call__(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        local = moment.astimezone(zoneinfo.ZoneInfo(self.zone))
        return local_time_on(moment, zone=self.zone, days=self.days, at=local.time())


def shift_to(source: SurgeryDay, on: date) -> Shift:
    return Shift(zone=source.time_zone, days=(on - local_date(source)).days)


def check_date_to_come(source: SurgeryDay, on: date, *, now: datetime | None = None) -> None:
    """A copy must start in the future: a day cannot be planned in the past."""
    if shift_to(source, on)(source.starts_at) <= (now or timezone.now()):
        raise errors.DayError(f"{on:%-d %B %Y} has already passed. Choose a date in the future.")


def _invite_surgeons_again(*, source: SurgeryDay, day: SurgeryDay, by: User) -> list[str]:
    """Surgeons of the source day who are still active members are invited again:
    they have no times on the new day until they set their availability."""
    names = []
    people = (
        DaySurgeon.objects.filter(
            day=source, person__is_active=True, person__memberships__organisation_id=source.organisation_id
        )
        .select_related("person")
        .prefetch_related("topics")
        .distinct()
    )
    for day_surgeon in people:
        copy = surgeon_join(day=day, person=day_surgeon.person, by=by, max_sessions=day_surgeon.max_sessions)
        surgeon_topics_set(day_surgeon=copy, topic_ids=[topic.pk for topic in day_surgeon.topics.all()])
        if day_surgeon.is_online or day_surgeon.video_link:
            surgeon_online_set(
                day_surgeon=copy, by=by, is_online=day_surgeon.is_online, video_link=day_surgeon.video_link
            )
        names.append(day_surgeon.person.display_name)
    return names


def copy_day_to(
    *, source: SurgeryDay, on: date, by: User, series: DaySeries | None = None, series_date: date | None = None
) -> DayCopy:
    """Make a draft of `source` on the date `on`, in the caller's transaction.

    1. The day itself: venue, times, session length, booking window and breaks,
       each moved by the same number of days and kept at the same local time.
    2. Its surgeons, invited again (no availability, so no sessions yet), online
       or in person and with their video links as before. The day's mode, video
       link and link time are copied with the rest of its details.
    3. `signals.day_copied` lets the apps above copy what they keep for a day
       (workshops and open space); each answers with lines saying what it copied.
    No bookings, waiting lists or notes are copied.
    """
    shift = shift_to(source, on)
    day = SurgeryDay(organisation=source.organisation, venue=source.venue, status=SurgeryDay.Status.DRAFT)
    for name in (
        "title",
        "description",
        "mode",
        "online_link",
        "link_shown_minutes_before",
        "slot_minutes",
        "cancellation_cutoff_hours",
        "max_sessions_per_learner",
        "safeguarding_contact",
        "surgeons_may_opt_in",
        "reminder_offsets_minutes",
    ):
        setattr(day, name, getattr(source, name))
    for name in ("starts_at", "ends_at", "booking_opens_at", "booking_closes_at"):
        setattr(day, name, shift(getattr(source, name)))
    day.series, day.series_date = series, series_date
    try:
        day.full_clean()
    except ValidationError as error:
        # The source was saved under older rules (an http:// video link, say): the copy
        # says what to correct instead of failing.
        problems = " ".join(error.messages)
        raise errors.DayError(
            f"{source.title} cannot be copied as it is: {problems} Change it on its page first."
        ) from error
    day.save()
    DayBreak.objects.bulk_create(
        DayBreak(day=day, label=b.label, starts_at=shift(b.starts_at), ends_at=shift(b.ends_at))
        for b in source.breaks.all()
    )
    copied = DayCopy(day=day, surgeons=_invite_surgeons_again(source=source, day=day, by=by))
    for _receiver, lines in signals.day_copied.send(sender=SurgeryDay, source=source, day=day, shift=shift):
        copied.programme.extend(lines or [])
    return copied


@transaction.atomic
def day_copy(*, day: SurgeryDay, by: User, on: date) -> DayCopy:
    """The organiser's "Copy this day": a new draft on another date, refused in the past."""
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    check_date_to_come(day, on)
    return copy_day_to(source=day, on=on, by=by)
