"""Helpers shared by the workshop services for the shared "who is busy when" table."""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError

from surgeries.errors import PersonBusy, SurgeryError
from surgeries.models import Commitment, SurgeryDay
from workshops import errors


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


def translate_integrity_error(error: IntegrityError) -> SurgeryError:
    """The database refused a write a racing request beat us to; say so kindly.

    PostgreSQL names the constraint; SQLite names the columns of a unique index.
    """
    text = str(error)
    if "no_overlap" in text:
        return PersonBusy()
    if "once_per_person" in text or "registration.person_id" in text:
        return errors.AlreadyRegistered()
    return errors.WorkshopFull()
