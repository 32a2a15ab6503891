"""How the database's refusals of a racing write are put to the person."""

import pytest
from django.db import IntegrityError

from surgeries import errors
from surgeries.services.booking_core import translate_integrity_error
from workshops import errors as workshop_errors
from workshops.services.registration import SEAT_REFUSALS

OVERLAP = 'conflicting key value violates exclusion constraint "commitment_no_overlap_per_person"'


def _overlap_for(person_id: int) -> IntegrityError:
    return IntegrityError(f"{OVERLAP}\nDETAIL: Key (person_id, tstzrange(starts_at, ends_at))=({person_id}, [...")


def test_translate_overlap_of_the_learner_is_person_busy():
    assert type(translate_integrity_error(_overlap_for(42), learner_id=42)) is errors.PersonBusy


def test_translate_overlap_of_someone_else_is_surgeon_busy():
    assert type(translate_integrity_error(_overlap_for(7), learner_id=42)) is errors.SurgeonBusy


def test_translate_overlap_without_a_learner_is_person_busy():
    assert type(translate_integrity_error(_overlap_for(7))) is errors.PersonBusy


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('new row violates check constraint "booking_not_with_oneself"', errors.BookingWithOneself),
        ("UNIQUE constraint failed: surgeries_booking.slot_id", errors.SlotTaken),
    ],
)
def test_translate_session_refusals(message, expected):
    assert type(translate_integrity_error(IntegrityError(message), learner_id=1)) is expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (OVERLAP, errors.PersonBusy),
        (
            'duplicate key value violates unique constraint "registration_once_per_person"',
            workshop_errors.AlreadyRegistered,
        ),
        (
            "UNIQUE constraint failed: workshops_registration.workshop_id, workshops_registration.person_id",
            workshop_errors.AlreadyRegistered,
        ),
        ('duplicate key value violates unique constraint "registration_one_per_seat"', workshop_errors.WorkshopFull),
    ],
)
def test_translate_seat_refusals(message, expected):
    error = translate_integrity_error(
        IntegrityError(message), refusals=SEAT_REFUSALS, otherwise=workshop_errors.WorkshopFull
    )

    assert type(error) is expected
