"""The day's programme: one-to-one slots, workshops and open space on one timeline.

programme sits above surgeries and workshops, so it reads both directly. Each
part reads in a fixed number of queries, so the page's query count does not grow
with the day.
"""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from people.cache_versions import kept
from people.models import User
from surgeries.models import Booking, CalendarFeed, DaySurgeon, Slot, SurgeryDay
from surgeries.selectors import programme
from surgeries.templatetags.venue_time import venue_time
from workshops.selectors import programme_items


@dataclass(frozen=True)
class ProgrammeEntry:
    """One item on the day's timeline that is not a one-to-one slot."""

    kind: str  # for example "workshop" or "open_space"
    kind_label: str  # shown to people: "Workshop", "Open space"
    title: str
    room: str
    starts_at: datetime
    ends_at: datetime
    places_left: int | None = None  # None: nobody registers for it
    url: str = ""
    detail: str = ""  # one short line, for example who runs it
    until: str = ""  # when it ends at the venue: "11:00 GMT"

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def programme_entries(*, day: SurgeryDay) -> list[ProgrammeEntry]:
    """Active workshops and open space for the day, in time order: three queries."""
    zone = day.time_zone
    entries = []
    for item in programme_items(day=day):
        if item.kind == "workshop":
            run_by = ", ".join(item.facilitator_names)
            entries.append(
                ProgrammeEntry(
                    kind="workshop",
                    kind_label="Workshop",
                    title=item.title,
                    room=item.room,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    places_left=item.places_left,
                    url=reverse("workshops:workshop_detail", kwargs={"workshop_id": item.pk}),
                    detail=f"Run by {run_by}" if run_by else "",
                    until=venue_time(item.ends_at, zone),
                )
            )
        else:
            entries.append(
                ProgrammeEntry(
                    kind="open_space",
                    kind_label="Open space",
                    title=item.title,
                    room=item.room,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    detail="No need to register",
                    until=venue_time(item.ends_at, zone),
                )
            )
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.ends_at, entry.title))


# Days with more surgeons than this open on the compact view (one line an hour), and
# the full view shows this many surgeons a page, so every page stays small.
COMPACT_ABOVE = 25
SURGEONS_PER_PAGE = 25


@dataclass(frozen=True)
class TimelineCell:
    """One one-to-one slot as the programme shows it, decided for one viewer."""

    surgeon_name: str
    starts: str  # "10:30 GMT", for the link's accessible name
    booked: bool
    learner_name: str  # "" unless the viewer may see who booked it
    book_url: str  # "" unless it can be booked from here
    slot_id: int = 0


@dataclass
class TimelineRow:
    """Everything that starts at one moment: one-to-one slots, then other entries."""

    starts_at: datetime
    starts: str = ""  # "10:30 GMT"
    sessions: list[TimelineCell] = field(default_factory=list)
    entries: list[ProgrammeEntry] = field(default_factory=list)


def _book_address_for_each(day: SurgeryDay) -> Callable[[int], str]:
    """One reverse() for the booking page, then each slot's id put in its place."""
    marker = 987654321
    before, after = reverse("surgeries:book", args=[day.pk, marker]).rsplit(str(marker), 1)
    return lambda slot_id: f"{before}{slot_id}{after}"


def programme_timeline(
    *, day: SurgeryDay, sees_names: bool, viewer_id: int | None, day_surgeon_ids: list[int] | None = None
) -> list[TimelineRow]:
    """The day in time order: slots with workshops and open space beside them.

    Only the surgeons in `day_surgeon_ids`, if given (one page of a big day). Who
    booked a slot is shown only to organisers (`sees_names`) and the two people in
    it. The slots come from surgeries' `programme` and the rest from
    `programme_entries`, so the query count stays fixed.
    """
    zone = day.time_zone
    book_url = _book_address_for_each(day) if day.status == SurgeryDay.Status.PUBLISHED else None
    rows: dict[datetime, TimelineRow] = {}

    def row_at(moment: datetime) -> TimelineRow:
        if moment not in rows:
            rows[moment] = TimelineRow(starts_at=moment, starts=venue_time(moment, zone))
        return rows[moment]

    for line in programme(day=day, day_surgeon_ids=day_surgeon_ids):
        surgeon = line.day_surgeon.person
        for slot, booking in line.cells:
            row = row_at(slot.starts_at)
            named = booking and (sees_names or viewer_id in (booking.learner_id, surgeon.pk))
            row.sessions.append(
                TimelineCell(
                    surgeon_name=surgeon.display_name,
                    starts=row.starts,
                    booked=booking is not None,
                    learner_name=booking.learner.display_name if named else "",
                    book_url=book_url(slot.pk) if book_url and booking is None else "",
                    slot_id=slot.pk,
                )
            )
    for entry in programme_entries(day=day):
        row_at(entry.starts_at).entries.append(entry)
    return [rows[moment] for moment in sorted(rows)]


def kept_timeline(
    *, day: SurgeryDay, version: int, sees_names: bool, viewer_id: int | None, page: int, day_surgeon_ids: list[int]
) -> list[TimelineRow]:
    """`programme_timeline` for one page of surgeons, kept in the cache per day version.

    Two timelines are kept: with every learner's name, read only for organisers
    (`sees_names`), and without any, for everyone else. A signed-in person who is
    not an organiser gets the one without names, with the learner's name put back in
    the sessions they are part of: one query, never kept.
    """
    audience = "names" if sees_names else "no-names"
    key = f"programme:{day.pk}:{version}:timeline:{audience}:{page}"
    rows = kept(
        key,
        lambda: programme_timeline(day=day, sees_names=sees_names, viewer_id=None, day_surgeon_ids=day_surgeon_ids),
    )
    if sees_names or viewer_id is None:
        return rows
    names = _learners_of_own_sessions(day=day, person_id=viewer_id)
    for row in rows if names else []:
        row.sessions = [
            replace(cell, learner_name=names[cell.slot_id]) if cell.slot_id in names else cell for cell in row.sessions
        ]
    return rows


def _learners_of_own_sessions(*, day: SurgeryDay, person_id: int) -> dict[int, str]:
    """{slot id: learner's name} for the day's sessions the person is in, either side: one query."""
    mine = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE).filter(
        Q(learner_id=person_id) | Q(surgeon_id=person_id)
    )
    return dict(mine.values_list("slot_id", "learner__display_name"))


def kept_surgeon_ids(*, day: SurgeryDay, version: int) -> list[int]:
    """`programme_surgeon_ids`, kept in the cache per day version."""
    return kept(f"programme:{day.pk}:{version}:surgeons", lambda: programme_surgeon_ids(day=day))


def kept_hours(*, day: SurgeryDay, version: int) -> list["HourRow"]:
    """`programme_hours` (no names in it: the same for everyone), kept in the cache per day version."""
    return kept(f"programme:{day.pk}:{version}:hours", lambda: programme_hours(day=day))


def programme_surgeon_ids(*, day: SurgeryDay) -> list[int]:
    """The day's surgeons in the programme's order (by name), for paging: one query."""
    return list(DaySurgeon.objects.filter(day=day).order_by("person__display_name", "id").values_list("pk", flat=True))


@dataclass
class HourRow:
    """One hour of a big day, in the compact view: how many sessions, and what else is on."""

    label: str  # "10:00 to 11:00 GMT"
    free: int = 0
    booked: int = 0
    entries: list[ProgrammeEntry] = field(default_factory=list)


def programme_hours(*, day: SurgeryDay) -> list[HourRow]:
    """The day hour by hour at the venue: counts of free and booked sessions, and the
    workshops and open space starting in each hour. No names: two queries plus the entries'."""
    tz = zoneinfo.ZoneInfo(day.time_zone)
    active = Booking.objects.filter(slot=OuterRef("pk"), status=Booking.Status.ACTIVE)
    slots = Slot.objects.filter(day=day, is_offered=True).annotate(booked=Exists(active))
    hours: dict[datetime, HourRow] = {}

    def hour_of(moment: datetime) -> HourRow:
        start = moment.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        if start not in hours:
            end = (start + timedelta(hours=1)).astimezone(tz)
            hours[start] = HourRow(label=f"{start:%H:%M} to {end:%H:%M} {end.tzname()}")
        return hours[start]

    for starts_at, booked in slots.values_list("starts_at", "booked"):
        row = hour_of(starts_at)
        if booked:
            row.booked += 1
        else:
            row.free += 1
    for entry in programme_entries(day=day):
        hour_of(entry.starts_at).entries.append(entry)
    return [hours[start] for start in sorted(hours)]


def calendar_feed_of(*, person: User) -> CalendarFeed | None:
    """The person's private calendar address, if they have made one."""
    return CalendarFeed.objects.filter(person=person).first()
