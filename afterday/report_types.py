"""What the impact report is made of: cells that may be hidden, tables and sections.

A leaf module, so the report selectors, the workshops' section and the charts can all
use these types without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SMALL_NUMBER = 5
SUPPRESSED_TEXT = "fewer than 5"
NOT_SHOWN_TEXT = "not shown"


@dataclass(frozen=True)
class Cell:
    """A count as the report may show it: `value` is None when it is hidden.

    A small count says "fewer than 5"; a count of 5 or more hidden only to protect
    a small one beside the same total says "not shown", so the page never claims
    something untrue.
    """

    value: int | None
    hidden_text: str = SUPPRESSED_TEXT

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.hidden_text if self.value is None else str(self.value)


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
    """A further part of the impact report (workshops), already suppressed (selectors/report.py rules)."""

    key: str  # used for element ids: letters and hyphens
    title: str
    headline: list[tuple[str, Cell]]
    average_label: str = ""
    average: str | None = None
    chart_title: str = ""
    chart_rows: list[tuple[str, Cell]] = field(default_factory=list)
    chart_description: str = ""
    tables: list[ReportTable] = field(default_factory=list)
