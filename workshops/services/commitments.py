"""Helpers shared by the workshop services for the shared "who is busy when" table."""

from collections.abc import Iterable
from datetime import datetime

from surgeries.models import Commitment, SurgeryDay


def busy_people(
    *, person_ids: Iterable[int], starts_at: datetime, ends_at: datetime, ignore: Iterable[int] = ()
) -> set[int]:
    """Who among these people has an active commitment overlapping the time.

    `ignore` lists commitment ids that do not count (the ones being moved).
    """
    return set(
        Commitment.objects.overlapping(person_ids, starts_at, ends_at)
        .exclude(pk__in=list(ignore))
        .values_list("person_id", flat=True)
    )


def new_commitment(*, person_id: int, day: SurgeryDay, starts_at: datetime, ends_at: datetime, role: str) -> Commitment:
    commitment = Commitment(person_id=person_id, day=day, starts_at=starts_at, ends_at=ends_at, role=role)
    commitment.full_clean(validate_constraints=False)
    commitment.save()
    return commitment
