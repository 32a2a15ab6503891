"""The impact report as a CSV file: the tables the page shows, suppressed as they are shown."""

import csv
import io

from django.http import HttpResponse

from afterday.selectors.report import ImpactReport
from afterday.suppression import AVERAGE_NOT_SHOWN


def report_csv(report: ImpactReport, filename: str) -> HttpResponse:
    """The report's tables, with suppressed counts written as they are shown."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row", "count", "second count"])
    for label, cell in report.headline:
        writer.writerow(["Summary", label, str(cell), ""])
    average = report.average_usefulness or AVERAGE_NOT_SHOWN
    writer.writerow(["Summary", "Average usefulness (1 to 5)", average, ""])
    for label, cell in report.usefulness:
        writer.writerow(["Usefulness", label, str(cell), ""])
    for row in report.topics:
        writer.writerow(["Topics (times asked for, surgeons offering it)", row.name, str(row.asked), str(row.offering)])
    for label, cell in report.perspectives:
        writer.writerow(["Perspectives", label, str(cell), ""])
    for section in report.sections:
        for label, cell in section.headline:
            writer.writerow([section.title, label, str(cell), ""])
        if section.average_label:
            writer.writerow([section.title, section.average_label, section.average or AVERAGE_NOT_SHOWN, ""])
        for table in section.tables:
            rows = [*table.rows, table.footer] if table.footer else table.rows
            for label, cells in rows:
                writer.writerow([table.caption, label, *(str(cell) for cell in cells)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
