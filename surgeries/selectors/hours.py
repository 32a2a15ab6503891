"""Free sessions an hour at a time: a big day has a thousand, too many to offer at once."""

import zoneinfo
from collections.abc import Iterable

from surgeries.models import Slot


def slots_by_hour(*, slots: Iterable[Slot], zone: str) -> dict[int, list[Slot]]:
    """Slots grouped by the hour they start at the venue (10 for 10:00 to 10:59), in order."""
    tz = zoneinfo.ZoneInfo(zone)
    hours: dict[int, list[Slot]] = {}
    for slot in slots:
        hours.setdefault(slot.starts_at.astimezone(tz).hour, []).append(slot)
    return dict(sorted(hours.items()))


def pick_hour(*, asked: str, hours: dict[int, list[Slot]]) -> tuple[int | None, bool]:
    """The hour asked for (as written in an address) if it has free sessions, else the
    soonest one; and whether what was asked for had to be ignored."""
    if asked.isdigit() and int(asked) in hours:
        return int(asked), False
    return next(iter(hours), None), bool(asked)
