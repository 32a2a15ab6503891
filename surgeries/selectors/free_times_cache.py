"""The day page's free times, worked out once per day version and kept in the cache.

Working out a big day's free times takes hundreds of milliseconds
(`free_slots`, then `free_times`); most requests ask the same few questions of the
same day. What is kept, under the day's version (`surgeries/day_version.py`):

- the free slots as `OpenSlot`s, the topics they offer, and which surgeons have
  any, per **time bucket**: what is free also changes when a slot starts, so the
  key holds the start of the next slot of the day (the first one not started).
  Every moment before it sees the same free slots; once it starts, the key moves on
  and that slot is gone on time.
- for each question (`FreeTimesQuery`), the answer, `FreeTimes`.

Nothing kept names a learner or depends on who asks. A signed-in person never sees
their own slots: if they have free slots that day, their answer is worked out from
the kept free slots without theirs, and not kept.
"""

import bisect
from collections.abc import Callable
from datetime import datetime

from people.cache_versions import kept
from surgeries.day_version import day_version
from surgeries.models import Slot, SurgeryDay
from surgeries.selectors.free_times import (
    FreeTimes,
    FreeTimesQuery,
    OpenSlot,
    free_times,
    open_slots,
    query_string,
    topic_choices,
)
from surgeries.selectors.slots import free_slots


class DayFreeTimes:
    """The free times of one day at one moment, for one person (or a visitor)."""

    def __init__(self, *, day: SurgeryDay, now: datetime, person_id: int | None = None):
        self.day, self.now = day, now
        version = day_version(day.pk)
        starts = kept(f"free-starts:{day.pk}:{version}", lambda: _slot_starts(day))
        upcoming = bisect.bisect_right(starts, now)
        # When the next slot starts, what is free changes: None once all have started.
        self.changes_at = starts[upcoming] if upcoming < len(starts) else None
        bucket = self.changes_at.timestamp() if self.changes_at else "end"
        self.prefix = f"free:{day.pk}:{version}:{bucket}"
        self._all: list[OpenSlot] | None = None
        self.exclude = person_id if person_id is not None and person_id in self._surgeons() else None

    def topics(self) -> list[tuple[str, str]]:
        """The topic choices for the filter form."""
        if self.exclude:
            return topic_choices(self.slots())
        return kept(f"{self.prefix}:topics", lambda: topic_choices(self.slots()))

    def times(self, query: FreeTimesQuery) -> FreeTimes:
        """What the page shows for this question."""
        if self.exclude:
            return free_times(day=self.day, slots=self.slots(), query=query)
        return kept(self._key("times", query), lambda: free_times(day=self.day, slots=self.slots(), query=query))

    def html(self, query: FreeTimesQuery, *, variant: str, render: Callable[[FreeTimes], str]) -> str:
        """The free times part of the page as `render` makes it from `times(query)`.

        Kept as HTML, so a warm request renders nothing of it; `variant` names
        whatever else the HTML depends on (whether Book buttons show). Rendering it
        must not depend on who asks.
        """
        if self.exclude:
            return render(self.times(query))
        return kept(self._key(f"html:{variant}", query), lambda: render(self.times(query)))

    def _key(self, kind: str, query: FreeTimesQuery) -> str:
        # Paginator.get_page treats anything but a number as the first page.
        page = query.page if query.page.isdigit() and len(query.page) < 7 else ""
        return f"{self.prefix}:{kind}:{query_string(query, page=page)}"

    def slots(self) -> list[OpenSlot]:
        """The free slots, without the person's own."""
        return [slot for slot in self._kept_slots() if slot.surgeon_id != self.exclude]

    def _surgeons(self) -> frozenset[int]:
        """Who has a free slot: one cache read."""
        return kept(f"{self.prefix}:surgeons", lambda: frozenset(slot.surgeon_id for slot in self._kept_slots()))

    def _kept_slots(self) -> list[OpenSlot]:
        if self._all is None:
            self._all = kept(f"{self.prefix}:slots", lambda: open_slots(free_slots(day=self.day, now=self.now)))
        return self._all


def _slot_starts(day: SurgeryDay) -> list[datetime]:
    """When the day's offered slots start, each moment once, in order: one query."""
    starts = Slot.objects.filter(day=day, is_offered=True).values_list("starts_at", flat=True)
    return sorted(set(starts))
