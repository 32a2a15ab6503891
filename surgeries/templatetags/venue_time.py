"""Show stored UTC times in the venue's own time zone, always naming the zone."""

import zoneinfo
from datetime import datetime

from django import template

register = template.Library()


def _in_zone(value: datetime, zone_name: str) -> datetime:
    return value.astimezone(zoneinfo.ZoneInfo(zone_name))


@register.filter
def venue_datetime(value: datetime | None, zone_name: str) -> str:
    """'Tuesday 1 December 2026, 10:00 GMT'."""
    if value is None:
        return ""
    local = _in_zone(value, zone_name)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"


@register.filter
def venue_time(value: datetime | None, zone_name: str) -> str:
    """'10:00 GMT'."""
    if value is None:
        return ""
    local = _in_zone(value, zone_name)
    return f"{local:%H:%M} {local.tzname()}"


@register.filter
def venue_date(value: datetime | None, zone_name: str) -> str:
    """'Tuesday 1 December 2026'."""
    if value is None:
        return ""
    local = _in_zone(value, zone_name)
    return f"{local:%A} {local.day} {local:%B %Y}"


@register.filter
def venue_date_at_time(value: datetime | None, zone_name: str) -> str:
    """'Tuesday 1 December 2026 at 10:00 GMT'."""
    if value is None:
        return ""
    return f"{venue_date(value, zone_name)} at {venue_time(value, zone_name)}"
