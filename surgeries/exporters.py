"""A day's attendee list as a download: CSV for any program, XLSX for spreadsheets.

Both take the rows of `selectors.attendee_rows`, which already hold only what the
organiser may see, and write the same columns. A day with no sessions gives the
header row alone.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from surgeries.models import SurgeryDay
from surgeries.selectors.attendees import AttendeeRow
from surgeries.templatetags.venue_time import venue_time

HEADERS = [
    "Time",
    "Learner",
    "Pronouns",
    "Languages",
    "Surgeon",
    "Topics",
    "Phone",
    "Walk-in",
    "Booked for them",
    "Checked in",
    "Access needs (if shared with organisers)",
    "Lived experience (if shared with organisers)",
    "Contact notes",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cells(row: AttendeeRow, zone: str) -> list[str]:
    return [
        venue_time(row.starts_at, zone),
        row.learner,
        row.pronouns,
        row.languages,
        row.surgeon,
        "; ".join(row.topics),
        row.phone,
        "Yes" if row.is_walk_in else "No",
        row.booked_for_them,
        venue_time(row.checked_in_at, zone) if row.checked_in_at else "",
        "; ".join(row.access_needs),
        "; ".join(row.perspectives),
        row.contact_notes,
    ]


def _safe(cell: str) -> str:
    """Names and notes are typed by people: never let one become a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def table(rows: list[AttendeeRow], *, zone: str) -> list[list[str]]:
    return [HEADERS, *([_safe(cell) for cell in _cells(row, zone)] for row in rows)]


def filename(day: SurgeryDay, extension: str) -> str:
    return f"attendees-day-{day.pk}.{extension}"


def _attachment(content: bytes | str, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Special-category data may be in it: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def attendees_csv(day: SurgeryDay, rows: list[AttendeeRow]) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out).writerows(table(rows, zone=day.time_zone))
    return _attachment(out.getvalue(), content_type="text/csv; charset=utf-8", name=filename(day, "csv"))


def attendees_xlsx(day: SurgeryDay, rows: list[AttendeeRow]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Attendees"
    for line in table(rows, zone=day.time_zone):
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return _attachment(out.getvalue(), content_type=XLSX_TYPE, name=filename(day, "xlsx"))
