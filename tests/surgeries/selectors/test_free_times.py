from datetime import date, timedelta

import pytest

from surgeries.models import SurgeryDay
from surgeries.selectors import free_slots
from surgeries.selectors.free_times import (
    FIRST_FEW,
    ONLINE,
    FreeTimesQuery,
    free_times,
    hour_choices,
    open_slots,
    part_of_day_choices,
    query_string,
)
from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory, TopicFactory, booked_slot, local_datetime

pytestmark = pytest.mark.django_db


def test_hour_choices_are_the_venues_hours_on_the_day_the_clocks_go_back(organisation):
    on = date(2027, 10, 31)
    day = SurgeryDayFactory(organisation=organisation, starts_at=local_datetime(on, 9), ends_at=local_datetime(on, 12))

    assert hour_choices(day) == [("09", "09:00 to 10:00"), ("10", "10:00 to 11:00"), ("11", "11:00 to 12:00")]
    assert part_of_day_choices(day) == [("morning", "Morning (before 12:00)")]


def test_query_string_keeps_the_other_choices_and_starts_a_new_choice_at_page_one():
    query = FreeTimesQuery(when="10", topic="3", group="topic", page="2")

    assert query_string(query, topic="4") == "?when=10&topic=4&group=topic"
    assert query_string(FreeTimesQuery(), when="11") == "?when=11"


def test_free_times_show_a_few_per_hour_with_times_and_booking_links_worked_out(day):
    for index in range(FIRST_FEW + 2):
        SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(minutes=index % 2 * 30))

    result = free_times(day=day, slots=open_slots(free_slots(day=day)), query=FreeTimesQuery())

    [hour] = result.groups
    assert (hour.key, hour.count, len(hour.times), hour.see_all) == ("10", FIRST_FEW + 2, FIRST_FEW, "?when=10")
    first = hour.times[0]
    assert first.times in ("10:00 GMT to 10:30 GMT", "10:00 BST to 10:30 BST")
    assert first.book_url == f"/days/{day.pk}/slots/{first.slot_id}/book/"


def test_free_times_grouped_by_topic_put_a_surgeon_under_each_of_their_topics(day, organisation):
    topics = [TopicFactory(organisation=organisation, name=name) for name in ("Video", "Blogs")]
    both = DaySurgeonFactory(day=day)
    both.topics.set(topics)
    SlotFactory(day_surgeon=both)

    result = free_times(day=day, slots=open_slots(free_slots(day=day)), query=FreeTimesQuery(group="topic"))

    assert [(group.title, group.count) for group in result.groups] == [("Blogs", 1), ("Video", 1)]


def test_free_slots_leave_out_booked_slots_and_surgeons_who_are_full(day, surgeon):
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon, max_sessions=1)
    first = SlotFactory(day_surgeon=day_surgeon)
    SlotFactory(day_surgeon=day_surgeon, starts_at=first.ends_at)
    other = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=first.ends_at)

    booked_slot(slot=first)

    assert free_slots(day=day) == [other]


def test_free_times_on_a_hybrid_day_say_online_or_in_person_and_narrow_by_it(day):
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.HYBRID)
    day.refresh_from_db()
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person__display_name="Ann", is_online=True))
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person__display_name="Ben"))
    slots = open_slots(free_slots(day=day))

    every = free_times(day=day, slots=slots, query=FreeTimesQuery())
    online = free_times(day=day, slots=slots, query=FreeTimesQuery(mode=ONLINE))

    assert sorted((t.surgeon_name, t.mode) for t in every.groups[0].times) == [("Ann", "Online"), ("Ben", "In person")]
    assert [(t.surgeon_name, online.narrowed) for t in online.groups[0].times] == [("Ann", True)]


def test_free_times_on_an_in_person_day_say_nothing_about_it(day):
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day))

    result = free_times(day=day, slots=open_slots(free_slots(day=day)), query=FreeTimesQuery())

    assert [t.mode for t in result.groups[0].times] == [""]
