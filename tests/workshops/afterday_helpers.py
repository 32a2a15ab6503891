"""Arranging workshops that already took place.

Registration services refuse workshops in the past, so past places are written
directly, with the commitments the services would have made.
"""

from datetime import timedelta

from surgeries.models import Commitment, SurgeryDay
from tests.factories import UserFactory
from workshops.models import Registration, Workshop, WorkshopFacilitator


def past_workshop(day: SurgeryDay, *, facilitator=None, index: int = 0, **fields) -> Workshop:
    """A workshop on `day`, `index` hours after it starts, run by `facilitator` if given."""
    starts = day.starts_at + timedelta(hours=index)
    fields.setdefault("title", f"Workshop {index + 1}")
    workshop = Workshop.objects.create(
        day=day,
        description="Hands-on practice.",
        room="Room 2",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=fields.pop("capacity", 30),
        **fields,
    )
    if facilitator is not None:
        commitment = _commitment(workshop, facilitator, Commitment.Role.FACILITATOR)
        WorkshopFacilitator.objects.create(workshop=workshop, person=facilitator, commitment=commitment)
    return workshop


def past_place(workshop: Workshop, person=None, **fields) -> Registration:
    person = person or UserFactory()
    seat = workshop.registrations.count() + 1
    return Registration.objects.create(
        workshop=workshop,
        person=person,
        seat_number=seat,
        capacity=workshop.capacity,
        commitment=_commitment(workshop, person, Commitment.Role.PARTICIPANT),
        **fields,
    )


def _commitment(workshop: Workshop, person, role: str) -> Commitment:
    return Commitment.objects.create(
        person=person, day=workshop.day, starts_at=workshop.starts_at, ends_at=workshop.ends_at, role=role
    )
