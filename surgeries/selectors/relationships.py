"""How a viewer is connected to other people through surgery days, for the visibility policy.

settings.VISIBILITY_RELATIONSHIPS names `relationships_for`, so people/visibility.py
calls it without importing surgeries.
"""

from django.db.models import Q

from people.enums import EVENT, PAIRED
from people.models import User
from surgeries.models import Booking, Commitment, DaySurgeon, SurgeryDay


def relationships_for(viewer: User, person_ids) -> dict[int, set[str]]:
    """How the viewer is connected to each person, for the visibility policy.

    "paired": they are learner and surgeon on a booking that is not cancelled.
    "event": both take part in the same day that is not cancelled: as a surgeon on
    it, or with an active commitment on it (a booking as learner, a workshop place
    or a workshop they run). Five queries whatever the number of people.
    """
    ids = set(person_ids) - {viewer.pk}
    result: dict[int, set[str]] = {pid: set() for pid in ids}
    if not ids or not viewer.is_authenticated:
        return result
    active = Booking.objects.filter(status=Booking.Status.ACTIVE).exclude(day__status=SurgeryDay.Status.CANCELLED)
    for learner_id, surgeon_id in active.filter(
        Q(learner=viewer, surgeon_id__in=ids) | Q(surgeon=viewer, learner_id__in=ids)
    ).values_list("learner_id", "surgeon_id"):
        result[surgeon_id if learner_id == viewer.pk else learner_id].add(PAIRED)
    viewer_days = {day_id for _, day_id in _participant_pairs(person_ids=[viewer.pk])}
    for person_id, day_id in _participant_pairs(person_ids=ids):
        if day_id in viewer_days:
            result[person_id].add(EVENT)
    return result


def _participant_pairs(*, person_ids) -> set[tuple[int, int]]:
    """(person, day) for everyone taking part in a day that is not cancelled: two queries.

    Every active booking writes an active `Commitment` for its learner, and so does
    every workshop place and workshop facilitator (from the workshops app), so the
    commitments cover all of them without surgeries knowing about workshops. A
    surgeon with no sessions booked has no commitment yet, hence `DaySurgeon`.
    """
    live = ~Q(day__status=SurgeryDay.Status.CANCELLED)
    surgeons = DaySurgeon.objects.filter(live, person_id__in=person_ids).values_list("person_id", "day_id")
    committed = Commitment.objects.filter(live, is_active=True, person_id__in=person_ids)
    return set(surgeons) | set(committed.values_list("person_id", "day_id"))
