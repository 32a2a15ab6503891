"""A person's other places on surgery days, offered by apps above surgeries.

"My bookings" and the private calendar feed show everything a person has signed
up for, but surgeries must not import workshops (docs/architecture.md). So the
workshops app registers an *agenda source* here from its `AppConfig.ready()`.
Each function of a source must read in a fixed number of queries, so those pages'
query counts do not grow with the number of places.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from people.models import User


@dataclass(frozen=True)
class AgendaItem:
    """One place (or waiting-list place) that is not a one-to-one booking."""

    kind: str  # for example "workshop"
    kind_label: str  # shown to people: "Workshop"
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str  # the venue's IANA zone, for the venue_time filters
    day_id: int
    day_title: str
    role: str  # shown to people: "Participant", "Facilitator"
    url: str
    calendar_url: str = ""
    cancel_url: str = ""
    # For someone running a group session: the list of who is coming.
    register_url: str = ""


@dataclass(frozen=True)
class AgendaSource:
    # The person's active places, any time, including things they run.
    places: Callable[[User], Iterable[AgendaItem]]
    # The person's waiting-list places that are still open.
    waiting: Callable[[User], Iterable[AgendaItem]]
    # iCalendar VEVENT blocks (CRLF lines, already folded) for places ending after `since`.
    calendar_events: Callable[[User, datetime], Iterable[str]]


_sources: list[AgendaSource] = []


def register_agenda_source(source: AgendaSource) -> None:
    """Add a source once; `ready()` can run twice in some test set-ups."""
    if source not in _sources:
        _sources.append(source)


def agenda_places(*, person: User) -> list[AgendaItem]:
    return sorted((item for s in _sources for item in s.places(person)), key=lambda item: item.starts_at)


def agenda_waiting(*, person: User) -> list[AgendaItem]:
    return sorted((item for s in _sources for item in s.waiting(person)), key=lambda item: item.starts_at)


def agenda_calendar_events(*, person: User, since: datetime) -> list[str]:
    return [event for s in _sources for event in s.calendar_events(person, since)]
