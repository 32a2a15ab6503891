"""`Commitment.objects.overlapping`: the one answer to "are these people free"."""

from datetime import timedelta

import pytest

from surgeries.models import Commitment
from surgeries.models.booking import overlaps_any
from tests.factories import SurgeryDayFactory, UserFactory, busy

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return SurgeryDayFactory()


def test_overlapping_finds_a_commitment_that_overlaps_the_time(day):
    person = UserFactory()
    commitment = busy(person, day, day.starts_at, minutes=60)

    found = Commitment.objects.overlapping([person.pk], day.starts_at + timedelta(minutes=30), day.ends_at)

    assert list(found) == [commitment]


def test_overlapping_ignores_times_that_only_touch(day):
    person = UserFactory()
    busy(person, day, day.starts_at, minutes=60)
    free_from = day.starts_at + timedelta(minutes=60)

    assert not Commitment.objects.overlapping([person.pk], free_from, free_from + timedelta(minutes=30)).exists()
    assert not Commitment.objects.overlapping(
        [person.pk], day.starts_at - timedelta(minutes=30), day.starts_at
    ).exists()


def test_overlapping_ignores_inactive_commitments(day):
    person = UserFactory()
    busy(person, day, day.starts_at)
    Commitment.objects.update(is_active=False)

    assert not Commitment.objects.overlapping([person.pk], day.starts_at, day.ends_at).exists()


def test_overlapping_only_looks_at_the_people_asked_about(day):
    person, other = UserFactory(), UserFactory()
    busy(other, day, day.starts_at)

    assert not Commitment.objects.overlapping([person.pk], day.starts_at, day.ends_at).exists()
    assert set(
        Commitment.objects.overlapping({person.pk, other.pk}, day.starts_at, day.ends_at).values_list(
            "person_id", flat=True
        )
    ) == {other.pk}


@pytest.mark.parametrize(
    ("start_minutes", "end_minutes", "expected"),
    [
        (30, 90, True),  # overlaps the end of 0-60
        (-30, 10, True),  # overlaps its start
        (10, 20, True),  # inside it
        (60, 120, False),  # starts as it ends: touching only
        (-60, 0, False),  # ends as it starts
    ],
)
def test_overlaps_any_follows_the_same_rule_as_the_query(day, start_minutes, end_minutes, expected):
    person = UserFactory()
    busy(person, day, day.starts_at, minutes=60)
    starts_at = day.starts_at + timedelta(minutes=start_minutes)
    ends_at = day.starts_at + timedelta(minutes=end_minutes)
    loaded = [(day.starts_at, day.starts_at + timedelta(minutes=60))]

    in_python = overlaps_any(loaded, starts_at, ends_at)
    in_the_database = Commitment.objects.overlapping([person.pk], starts_at, ends_at).exists()

    assert in_python == in_the_database == expected
