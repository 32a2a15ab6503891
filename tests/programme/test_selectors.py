from datetime import timedelta

import pytest

from programme.selectors import programme_entries, programme_timeline
from tests.factories import (
    DaySurgeonFactory,
    OpenSpaceFactory,
    SlotFactory,
    SurgeryDayFactory,
    WorkshopFactory,
    facilitating,
    registered,
)
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_programme_entries_turn_workshops_and_open_space_into_timeline_entries():
    day = SurgeryDayFactory()
    workshop = WorkshopFactory(day=day, title="Video calls", starts_at=day.starts_at + timedelta(hours=2), capacity=1)
    facilitating(workshop=workshop)
    registered(workshop=workshop)
    OpenSpaceFactory(day=day, title="Tea", starts_at=day.starts_at + timedelta(hours=1))
    WorkshopFactory(day=day, title="Gone", status=Workshop.Status.CANCELLED)

    entries = programme_entries(day=day)

    assert [(e.kind_label, e.title, e.is_full) for e in entries] == [
        ("Open space", "Tea", False),
        ("Workshop", "Video calls", True),
    ]
    assert entries[0].detail == "No need to register"
    assert entries[1].detail.startswith("Run by ")
    assert entries[1].url == f"/workshops/{workshop.pk}/"


def test_programme_timeline_puts_slots_and_workshops_starting_together_on_one_row(django_assert_num_queries):
    day = SurgeryDayFactory()
    slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at)
    WorkshopFactory(day=day, title="Video calls", starts_at=day.starts_at)
    OpenSpaceFactory(day=day, title="Tea", starts_at=day.starts_at + timedelta(hours=1))

    rows = programme_timeline(day=day)

    assert [row.starts_at for row in rows] == [day.starts_at, day.starts_at + timedelta(hours=1)]
    assert [s.pk for _, s, _ in rows[0].sessions] == [slot.pk]
    assert [e.title for e in rows[0].entries] == ["Video calls"]
    assert [e.title for e in rows[1].entries] == ["Tea"]
