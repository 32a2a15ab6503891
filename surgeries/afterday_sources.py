"""Parts of "after the day" offered by apps above surgeries.

The impact report, "My sessions" and feedback on the day cover workshops too, but
surgeries must not import workshops (docs/architecture.md). So the workshops app
registers an `AfterDaySource` here from its `AppConfig.ready()`. Every function of
a source reads in a fixed number of queries, so the report and "My sessions" keep
a constant query count whatever the size of the days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from people.models import Organisation, User
from surgeries.models import SurgeryDay

if TYPE_CHECKING:
    from surgeries.selectors.reports import Cell


@dataclass(frozen=True)
class ReportTable:
    """A table of the report: rows of a label and cells, in the page and in the CSV."""

    caption: str
    columns: tuple[str, ...]  # the first names the row labels
    rows: list[tuple[str, tuple[Cell | str, ...]]]
    empty_text: str = "Nothing to show."
    footer: tuple[str, tuple[Cell | str, ...]] | None = None


@dataclass
class ReportSection:
    """One app's part of the impact report, already suppressed (selectors/reports.py rules)."""

    key: str  # used for element ids: letters and hyphens
    title: str
    headline: list[tuple[str, Cell]]
    average_label: str = ""
    average: str | None = None
    chart_title: str = ""
    chart_rows: list[tuple[str, Cell]] = field(default_factory=list)
    chart_description: str = ""
    tables: list[ReportTable] = field(default_factory=list)


@dataclass(frozen=True)
class SessionsPart:
    """A block of "My sessions": a template and what it needs."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class AfterDaySource:
    # The report's section for these days.
    report_section: Callable[[list[int]], ReportSection]
    # Comments for organisers on one day, without names or scores.
    day_comments: Callable[[SurgeryDay], list[str]]
    # A values queryset of person ids of everyone who took part in these days, for the perspectives count.
    people_taking_part: Callable[[list[int]], Any]
    # {person id: when they first learned} for the people who learned on these days.
    first_learned: Callable[[list[int]], dict[int, datetime]]
    # {person id: when they last helped} on the organisation's days, for these people.
    last_helped: Callable[[Organisation, Iterable[int]], dict[int, datetime]]
    # Whether the person helped on the day (they may then give feedback on it).
    helped_on_day: Callable[[SurgeryDay, User], bool]
    # Days that have started on which the person helped, newest first.
    days_helped: Callable[[User, datetime], list[SurgeryDay]]
    # The person's block on "My sessions", or None if they have nothing there.
    sessions_part: Callable[[User, datetime], SessionsPart | None]


_sources: list[AfterDaySource] = []


def register_after_day_source(source: AfterDaySource) -> None:
    """Add a source once; `ready()` can run twice in some test set-ups."""
    if source not in _sources:
        _sources.append(source)


def after_day_sources() -> list[AfterDaySource]:
    return list(_sources)
