"""The day's programme: one-to-one slots, workshops and open space on one timeline.

programme sits above surgeries and workshops, so it reads both directly. Each
part reads in a fixed number of queries, so the page's query count does not grow
with the day.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from people.models import User
from surgeries.models import Booking, CalendarFeed, DaySurgeon, Slot, SurgeryDay
from surgeries.selectors import programme
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

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def programme_entries(*, day: SurgeryDay) -> list[ProgrammeEntry]:
    """Active workshops and open space for the day, in time order: three queries."""
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
                )
            )
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.ends_at, entry.title))


@dataclass
class TimelineRow:
    """Everything that starts at one moment: one-to-one slots, then other entries."""

    starts_at: datetime
    sessions: list[tuple[DaySurgeon, Slot, Booking | None]] = field(default_factory=list)
    entries: list[ProgrammeEntry] = field(default_factory=list)


def programme_timeline(*, day: SurgeryDay) -> list[TimelineRow]:
    """The whole day in time order: slots with workshops and open space beside them.

    The slots come from surgeries' `programme` and the rest from `programme_entries`,
    so the query count stays fixed.
    """
    rows: dict[datetime, TimelineRow] = {}
    for row in programme(day=day):
        for slot, booking in row.cells:
            rows.setdefault(slot.starts_at, TimelineRow(starts_at=slot.starts_at))
            rows[slot.starts_at].sessions.append((row.day_surgeon, slot, booking))
    for entry in programme_entries(day=day):
        rows.setdefault(entry.starts_at, TimelineRow(starts_at=entry.starts_at)).entries.append(entry)
    return [rows[moment] for moment in sorted(rows)]


def calendar_feed_of(*, person: User) -> CalendarFeed | None:
    """The person's private calendar address, if they have made one."""
    return CalendarFeed.objects.filter(person=person).first()
