"""Other parts of a day's programme, offered by apps that sit above surgeries.

The programme page shows one-to-one slots, workshops and open space on one
timeline, but surgeries must not import workshops (docs/architecture.md). So the
workshops app registers a *programme source* here from its `AppConfig.ready()`:
a function that takes a day and returns `ProgrammeEntry` rows. Each source should
read in a fixed number of queries, so the page's query count does not grow with
the day.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from surgeries.models import SurgeryDay


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


ProgrammeSource = Callable[[SurgeryDay], Iterable[ProgrammeEntry]]

_sources: list[ProgrammeSource] = []


def register_programme_source(source: ProgrammeSource) -> None:
    """Add a source once; `ready()` can run twice in some test set-ups."""
    if source not in _sources:
        _sources.append(source)


def programme_entries(*, day: SurgeryDay) -> list[ProgrammeEntry]:
    """Every registered source's entries for the day, in time order."""
    entries = [entry for source in _sources for entry in source(day)]
    return sorted(entries, key=lambda entry: (entry.starts_at, entry.ends_at, entry.title))
