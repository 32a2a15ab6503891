"""Row locks taken before every booking check. See docs/booking.md.

Order is always: slots (by id), then people (by id). Keeping one order means two
transactions never wait on each other in a circle.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from people.models import User
from surgeries.models import Slot

# Tests switch this off to show that the concurrency tests catch the race.
LOCKS_ENABLED = True


def _maybe_lock(queryset: QuerySet) -> QuerySet:
    return queryset.select_for_update() if LOCKS_ENABLED else queryset


def lock_slots(slot_ids: Iterable[int]) -> dict[int, Slot]:
    """Lock the slots and return them by id; a missing id is simply absent."""
    slots = _maybe_lock(Slot.objects.filter(pk__in=sorted(set(slot_ids))).order_by("pk"))
    return {slot.pk: slot for slot in slots}


def lock_people(person_ids: Iterable[int]) -> None:
    """Serialise everything that adds a commitment for these people."""
    list(_maybe_lock(User.objects.filter(pk__in=sorted(set(person_ids))).order_by("pk")).values_list("pk"))
