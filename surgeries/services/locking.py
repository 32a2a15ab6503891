"""Row locks taken before every booking check. See docs/booking.md.

Order is always: slots (by id), then people (by id). Keeping one order means two
transactions never wait on each other in a circle. Matchmaking locks the day and
its proposal before either (docs/matchmaking.md; `lock_proposal` is in
matchmaking/services/confirm.py and locks through `maybe_lock`).
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from people.models import User
from surgeries.models import Slot, SurgeryDay

# Tests switch this off to show that the concurrency tests catch the race. The locks
# that keep bookings and seats right (slots, people, workshops) are taken through
# `maybe_lock`, so this one switch turns them all off; locks on a day's own row,
# waiting entries and matchmaking rows are taken directly.
LOCKS_ENABLED = True


def maybe_lock(queryset: QuerySet, *, no_key: bool = False, of: tuple[str, ...] = ()) -> QuerySet:
    return queryset.select_for_update(no_key=no_key, of=of) if LOCKS_ENABLED else queryset


def lock_day(day_id: int) -> SurgeryDay:
    """Lock a day FOR NO KEY UPDATE: matchmaking's changes to it happen one after the other.

    Not FOR UPDATE: a booking being written elsewhere checks its foreign key to the day
    with FOR KEY SHARE while holding its slot lock, so a full FOR UPDATE here would
    deadlock with it as soon as we wait for that slot.
    """
    return maybe_lock(SurgeryDay.objects.select_related("organisation", "venue"), no_key=True).get(pk=day_id)


def lock_slots(slot_ids: Iterable[int]) -> dict[int, Slot]:
    """Lock the slots and return them by id; a missing id is simply absent."""
    slots = maybe_lock(Slot.objects.filter(pk__in=sorted(set(slot_ids))).order_by("pk"))
    return {slot.pk: slot for slot in slots}


def lock_people(person_ids: Iterable[int]) -> None:
    """Serialise everything that adds a commitment for these people."""
    list(maybe_lock(User.objects.filter(pk__in=sorted(set(person_ids))).order_by("pk")).values_list("pk"))
