import zoneinfo
from datetime import timedelta

import pytest

from programme.selectors import programme_entries, programme_hours, programme_surgeon_ids, programme_timeline
from tests.factories import (
    DaySurgeonFactory,
    OpenSpaceFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_big_day,
    booked_slot,
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

    rows = programme_timeline(day=day, sees_names=False, viewer_id=None)

    assert [row.starts_at for row in rows] == [day.starts_at, day.starts_at + timedelta(hours=1)]
    assert [cell.book_url for cell in rows[0].sessions] == [f"/days/{day.pk}/slots/{slot.pk}/book/"]
    assert [e.title for e in rows[0].entries] == ["Video calls"]
    assert [e.title for e in rows[1].entries] == ["Tea"]


def _booked_day():
    day = SurgeryDayFactory()
    surgeon = DaySurgeonFactory(day=day, person__display_name="Sam Surgeon")
    learner = UserFactory(display_name="Lee Learner")
    booked_slot(slot=SlotFactory(day_surgeon=surgeon), learner=learner)
    return day, surgeon.person, learner


@pytest.mark.parametrize(
    ("who", "sees_names", "shown"),
    [
        ("organiser", True, "Lee Learner"),
        ("learner", False, "Lee Learner"),
        ("surgeon", False, "Lee Learner"),
        ("anyone else", False, ""),
    ],
)
def test_programme_timeline_names_the_learner_only_to_organisers_and_the_pair(who, sees_names, shown):
    day, surgeon, learner = _booked_day()
    viewer_id = {"learner": learner.pk, "surgeon": surgeon.pk}.get(who)

    rows = programme_timeline(day=day, sees_names=sees_names, viewer_id=viewer_id)

    cell = rows[0].sessions[0]
    assert (cell.booked, cell.learner_name, cell.book_url) == (True, shown, "")


def test_programme_timeline_keeps_to_the_surgeons_asked_for(django_assert_num_queries):
    day = SurgeryDayFactory()
    day = booked_big_day(day.organisation, surgeons=6, slots_each=2, bookings=3)
    ids = programme_surgeon_ids(day=day)

    with django_assert_num_queries(
        5
    ):  # surgeons, slots, bookings; workshops (none to find facilitators for), open space
        rows = programme_timeline(day=day, sees_names=True, viewer_id=None, day_surgeon_ids=ids[:2])

    assert {cell.surgeon_name for row in rows for cell in row.sessions} == {"Surgeon 000", "Surgeon 001"}


def test_programme_hours_count_free_and_booked_sessions_per_hour_at_the_venue():
    day = SurgeryDayFactory()  # 10:00 to 15:00 in London
    day = booked_big_day(
        day.organisation, surgeons=4, slots_each=2, bookings=2
    )  # slots from 10:00, 10:30, 11:00, 11:30; 10:00, 11:00 booked
    OpenSpaceFactory(day=day, title="Tea", starts_at=day.starts_at + timedelta(minutes=90))

    hours = programme_hours(day=day)

    local = day.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/London"))
    assert hours[0].label == f"10:00 to 11:00 {local.tzname()}"
    assert [(h.free, h.booked) for h in hours] == [(2, 1), (3, 1), (1, 0)]
    assert [e.title for e in hours[1].entries] == ["Tea"]
