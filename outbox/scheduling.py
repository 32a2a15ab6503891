"""Due-time arithmetic the apps' notification kinds share."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta


def local_time_on(moment: datetime, *, zone: str, days: int, at: time) -> datetime:
    """`at` on the wall clock of `zone`, `days` days after `moment`'s date there, in UTC.

    Computed on the local calendar, so "18:00 the evening before" stays 18:00 local
    time even when the clocks change between that evening and `moment`.
    """
    tz = zoneinfo.ZoneInfo(zone)
    date = moment.astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(date, at, tzinfo=tz).astimezone(UTC)
