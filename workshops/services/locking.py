"""Row locks for workshop writes. See docs/booking.md, "Workshops".

Order is always: the workshop row, then people (by id, through the shared
`lock_people`). Booking services lock slots then people and never a workshop, so
no two transactions can wait on each other in a circle.
"""

from workshops.models import Workshop

# Tests switch this off to show that the concurrency tests catch the race.
LOCKS_ENABLED = True


def lock_workshop(workshop_id: int) -> Workshop | None:
    """Lock one workshop row and return it read afresh, or None if it is gone."""
    queryset = Workshop.objects.select_related("day__organisation", "day__venue").filter(pk=workshop_id)
    if LOCKS_ENABLED:
        # `of=("self",)` locks only the workshop, not the day and venue joined in.
        queryset = queryset.select_for_update(of=("self",))
    return queryset.first()
