"""Reads for a series of days."""

from django.db.models import QuerySet

from surgeries.models import DaySeries, SurgeryDay


def series_days(series: DaySeries) -> QuerySet[SurgeryDay]:
    """The series' days in date order, with what their pages show (one query)."""
    return series.days.select_related("venue").order_by("starts_at")
