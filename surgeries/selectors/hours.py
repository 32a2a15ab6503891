"""Free sessions a part of the day at a time: a big day has a thousand, too many to offer at once."""

import zoneinfo
from collections.abc import Iterable

from surgeries.models import Slot

# An hour with more free sessions than this is offered one start time at a time.
MOST_AT_ONCE = 150


def slots_by_time(*, slots: Iterable[Slot], zone: str) -> dict[str, list[Slot]]:
    """Slots grouped by the hour they start at the venue ("10:00" for 10:00 to 10:59),
    in order; an hour with more than MOST_AT_ONCE is split by start time ("10:00",
    "10:30"), so a page offering one group stays small."""
    tz = zoneinfo.ZoneInfo(zone)
    by_hour: dict[int, list[tuple[str, Slot]]] = {}
    for slot in slots:
        local = slot.starts_at.astimezone(tz)
        by_hour.setdefault(local.hour, []).append((f"{local:%H:%M}", slot))
    groups: dict[str, list[Slot]] = {}
    for hour, in_hour in sorted(by_hour.items()):
        for starts, slot in sorted(in_hour, key=lambda pair: pair[0]):
            groups.setdefault(f"{hour:02d}:00" if len(in_hour) <= MOST_AT_ONCE else starts, []).append(slot)
    return groups


def pick_time(*, asked: str, groups: dict[str, list[Slot]]) -> tuple[str | None, bool]:
    """The group asked for (its start, as in an address) if it has free sessions, else
    the soonest; and whether what was asked for had to be ignored."""
    if asked in groups:
        return asked, False
    return next(iter(groups), None), bool(asked)
