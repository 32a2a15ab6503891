from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from outbox.services import notification_preference_set
from people.enums import AccessNeed, Visibility
from surgeries.models import DayMessage, WaitingListEntry
from surgeries.selectors import attendee_rows, message_recipients
from tests.factories import (
    DaySurgeonFactory,
    PersonPerspectiveFactory,
    ProfileFactory,
    SlotFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    member,
    registered,
)
from workshops.models import Workshop, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db
Group = DayMessage.Group


def _names(day, group, *, is_essential=True):
    return [p.display_name for p in message_recipients(day=day, group=group, is_essential=is_essential)]


@pytest.fixture
def people_of_day(day, surgeon):
    """Two learners (one checked in, one who did not come), a surgeon, a facilitator,
    two workshop places (one marked as did not come), someone on the day's waiting
    list and someone waiting for a workshop place."""
    slots = [SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon), starts_at=day.starts_at)]
    slots.append(SlotFactory(day_surgeon=slots[0].day_surgeon, starts_at=day.starts_at + timedelta(minutes=30)))
    came = booked_slot(slot=slots[0], learner=UserFactory(display_name="Ada Came"))
    came.checked_in_at = timezone.now()
    came.save()
    missed = booked_slot(slot=slots[1], learner=UserFactory(display_name="Bea Missed"))
    missed.is_no_show = True
    missed.save()
    workshop = WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(hours=2))
    facilitating(workshop=workshop, person=UserFactory(display_name="Fay Facilitator"))
    registered(workshop=workshop, person=UserFactory(display_name="Pat Participant"))
    absent = registered(workshop=workshop, person=UserFactory(display_name="Nia Notthere"))
    absent.is_no_show = True
    absent.save()
    WaitingListEntry.objects.create(day=day, person=UserFactory(display_name="Wes Waiting"))
    WorkshopWaitingEntry.objects.create(workshop=workshop, person=UserFactory(display_name="Wyn Workshopwait"))
    return day


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (
            Group.EVERYONE,
            [
                "Ada Came",
                "Bea Missed",
                "Fay Facilitator",
                "Nia Notthere",
                "Pat Participant",
                "Sam Surgeon",
                "Wes Waiting",
                "Wyn Workshopwait",
            ],
        ),
        (Group.LEARNERS, ["Ada Came", "Bea Missed"]),
        (Group.SURGEONS, ["Sam Surgeon"]),
        (Group.FACILITATORS, ["Fay Facilitator"]),
        (Group.WAITING, ["Wes Waiting", "Wyn Workshopwait"]),
        # The workshop has not started yet, so nobody has come to it.
        (Group.CHECKED_IN, ["Ada Came"]),
        (Group.NO_SHOW, ["Bea Missed", "Nia Notthere"]),
    ],
)
def test_message_recipients_of_each_group(people_of_day, group, expected):
    assert _names(people_of_day, group) == expected


def test_checked_in_group_has_workshop_participants_who_came_once_it_started(people_of_day):
    workshop = Workshop.objects.get(day=people_of_day)

    with time_machine.travel(workshop.starts_at + timedelta(minutes=5)):
        names = _names(people_of_day, Group.CHECKED_IN)

    assert names == ["Ada Came", "Pat Participant"]


def test_cancelled_workshop_people_are_in_no_group(people_of_day):
    Workshop.objects.filter(day=people_of_day).update(status=Workshop.Status.CANCELLED)

    assert _names(people_of_day, Group.WAITING) == ["Wes Waiting"]
    assert _names(people_of_day, Group.NO_SHOW) == ["Bea Missed"]


def test_workshop_people_of_another_day_are_left_out(day):
    other = WorkshopFactory()
    absent = registered(workshop=other, person=UserFactory(display_name="Olly Otherday"))
    absent.is_no_show = True
    absent.save()
    WorkshopWaitingEntry.objects.create(workshop=other, person=UserFactory(display_name="Ona Otherwait"))

    assert _names(day, Group.NO_SHOW) == []
    assert _names(day, Group.WAITING) == []


def test_message_recipients_take_one_query_with_workshop_people(people_of_day, django_assert_num_queries):
    with django_assert_num_queries(1):
        _names(people_of_day, Group.EVERYONE)


def test_message_recipients_leave_out_cancelled_bookings_and_other_days(day, slot, surgeon):
    booking = booked_slot(slot=slot, learner=UserFactory(display_name="Cal Cancelled"))
    booking.status = booking.Status.CANCELLED
    booking.save()
    booked_slot(slot=SlotFactory(), learner=UserFactory(display_name="Oscar Otherday"))

    assert _names(day, Group.LEARNERS) == []


def test_non_essential_message_skips_people_who_turned_such_emails_off(day, slot):
    quiet = UserFactory(display_name="Quinn Quiet")
    booked_slot(slot=slot, learner=quiet)
    notification_preference_set(person=quiet, non_essential_enabled=False)

    assert _names(day, Group.LEARNERS, is_essential=False) == []
    assert _names(day, Group.LEARNERS, is_essential=True) == ["Quinn Quiet"]


def test_message_recipients_leave_out_inactive_accounts(day, slot):
    gone = UserFactory(display_name="Gone", is_active=False)
    booked_slot(slot=slot, learner=gone)

    assert _names(day, Group.LEARNERS) == []


def test_attendee_rows_show_access_needs_only_where_shared_with_organisers(organisation, day, organiser, surgeon):
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    shared, private = member(organisation, display_name="Sha Red"), member(organisation, display_name="Pri Vate")
    for index, (person, visibility) in enumerate([(shared, Visibility.ORGANISERS), (private, Visibility.ONLY_ME)]):
        ProfileFactory(person=person, access_needs=[AccessNeed.STEP_FREE], access_needs_visibility=visibility)
        PersonPerspectiveFactory(person=person, visibility=visibility)
        booked_slot(
            slot=SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * index)),
            learner=person,
        )

    rows = attendee_rows(day=day, viewer=organiser)

    assert [(r.learner, r.access_needs, bool(r.perspectives)) for r in rows] == [
        ("Sha Red", ("Step-free access",), True),
        ("Pri Vate", (), False),
    ]


def test_attendee_rows_take_the_same_queries_for_one_and_many(day, organiser, surgeon, django_assert_num_queries):
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    booked_slot(slot=SlotFactory(day_surgeon=day_surgeon))
    with django_assert_num_queries(12) as one:
        attendee_rows(day=day, viewer=organiser)
    for index in range(1, 6):
        booked_slot(slot=SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * index)))

    with django_assert_num_queries(len(one.captured_queries)):
        rows = attendee_rows(day=day, viewer=organiser)

    assert len(rows) == 6
