"""Row locks for workshop writes. See docs/booking.md, "Workshops".

Order is always: the workshop row, then people (by id, through the shared
`lock_people`). Booking services lock slots then people and never a workshop, so
no two transactions can wait on each other in a circle. The lock goes through
surgeries' `maybe_lock`, so its `LOCKS_ENABLED` switch covers workshops too.
"""

from surgeries.services.locking import maybe_lock
from workshops.models import Workshop


def lock_workshop(workshop_id: int) -> Workshop | None:
    """Lock one workshop row and return it read afresh, or None if it is gone."""
    queryset = Workshop.objects.select_related("day__organisation", "day__venue").filter(pk=workshop_id)
    # `of=("self",)` locks only the workshop, not the day and venue joined in.
    return maybe_lock(queryset, of=("self",)).first()
