from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from surgeries.models import SurgeryDay
from tests.factories import SurgeryDayFactory, VenueFactory

NOW = datetime(2031, 3, 4, 12, 0, tzinfo=UTC)
Status = SurgeryDay.Status


def _day(status=Status.PUBLISHED, *, ends_in=timedelta(hours=3), **times) -> SurgeryDay:
    return SurgeryDay(status=status, starts_at=NOW - timedelta(hours=1), ends_at=NOW + ends_in, **times)


@pytest.mark.parametrize(
    ("status", "ends_in", "expected"),
    [
        (Status.PUBLISHED, timedelta(hours=3), True),
        (Status.PUBLISHED, timedelta(0), False),
        (Status.PUBLISHED, -timedelta(minutes=1), False),
        (Status.DRAFT, timedelta(hours=3), False),
        (Status.CANCELLED, timedelta(hours=3), False),
        (Status.FINISHED, timedelta(hours=3), False),
    ],
)
def test_accepts_requests_only_while_published_and_not_ended(status, ends_in, expected):
    assert _day(status, ends_in=ends_in).accepts_requests(NOW) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Status.PUBLISHED, False), (Status.FINISHED, True), (Status.DRAFT, False), (Status.CANCELLED, False)],
)
def test_is_over_when_finished_whatever_the_clock(status, expected):
    assert _day(status).is_over(NOW) is expected


def test_is_over_once_ended_before_the_job_marks_it():
    assert _day(ends_in=timedelta(0)).is_over(NOW) is True


@pytest.mark.parametrize(
    ("status", "times", "expected"),
    [
        (Status.PUBLISHED, {}, True),
        (Status.DRAFT, {}, False),
        (Status.CANCELLED, {}, False),
        (Status.FINISHED, {}, False),
        (Status.PUBLISHED, {"booking_opens_at": NOW + timedelta(minutes=1)}, False),
        (Status.PUBLISHED, {"booking_opens_at": NOW}, True),
        (Status.PUBLISHED, {"booking_closes_at": NOW}, False),
        (Status.PUBLISHED, {"booking_closes_at": NOW + timedelta(minutes=1)}, True),
    ],
)
def test_takes_bookings_only_while_published_and_inside_the_booking_window(status, times, expected):
    assert _day(status, **times).takes_bookings(NOW) is expected


@pytest.mark.parametrize(
    ("status", "times", "expected"),
    [
        (Status.PUBLISHED, {}, False),
        (Status.PUBLISHED, {"booking_opens_at": NOW + timedelta(minutes=1)}, True),
        (Status.PUBLISHED, {"booking_opens_at": NOW}, False),
        (Status.DRAFT, {"booking_opens_at": NOW + timedelta(minutes=1)}, False),
        (Status.CANCELLED, {"booking_opens_at": NOW + timedelta(minutes=1)}, False),
    ],
)
def test_opens_for_booking_later_only_for_a_published_day_before_its_window(status, times, expected):
    day = _day(status, **times)

    assert day.opens_for_booking_later(NOW) is expected
    assert not (day.opens_for_booking_later(NOW) and day.takes_bookings(NOW))


@pytest.mark.parametrize(
    ("status", "closed"),
    [
        (SurgeryDay.Status.DRAFT, False),
        (SurgeryDay.Status.PUBLISHED, False),
        (SurgeryDay.Status.CANCELLED, True),
        (SurgeryDay.Status.FINISHED, True),
    ],
)
def test_only_a_cancelled_or_finished_day_is_closed_to_changes_of_plan(status, closed):
    assert SurgeryDay(status=status).is_closed() is closed


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("ends_in", [timedelta(hours=3), timedelta(0), -timedelta(minutes=1)])
def test_the_query_for_days_accepting_requests_agrees_with_the_model(status, ends_in):
    day = SurgeryDayFactory(status=status, starts_at=NOW - timedelta(hours=4), ends_at=NOW + ends_in)

    in_the_database = SurgeryDay.objects.accepting_requests(NOW).filter(pk=day.pk).exists()

    assert in_the_database == day.accepts_requests(NOW)


@pytest.mark.parametrize(("limit", "held", "reached"), [(None, 9, False), (2, 1, False), (2, 2, True), (2, 3, True)])
def test_learner_limit_reached(limit, held, reached):
    assert SurgeryDay(max_sessions_per_learner=limit).learner_limit_reached(held) is reached


# --- online and hybrid days ---------------------------------------------------------


def _day_in(venue, **fields) -> SurgeryDay:
    return SurgeryDayFactory.build(organisation=venue.organisation, venue=venue, **fields)


@pytest.mark.django_db
def test_online_day_needs_no_venue_address(organisation):
    day = _day_in(VenueFactory(organisation=organisation, address=""), mode=SurgeryDay.Mode.ONLINE)

    day.full_clean()  # no error


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [SurgeryDay.Mode.IN_PERSON, SurgeryDay.Mode.HYBRID])
def test_day_people_come_to_needs_a_venue_with_an_address(organisation, mode):
    day = _day_in(VenueFactory(organisation=organisation, address="  "), mode=mode)

    with pytest.raises(ValidationError) as caught:
        day.full_clean()

    assert caught.value.message_dict["venue"] == [
        "This venue has no address, and people need one to come in person. "
        "Choose a venue with an address, or make the day online."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("link", ["http://meet.example.org/room", "ftp://meet.example.org", "https://"])
def test_video_link_must_be_https(organisation, link):
    day = _day_in(VenueFactory(organisation=organisation), mode=SurgeryDay.Mode.ONLINE, online_link=link)

    with pytest.raises(ValidationError) as caught:
        day.full_clean()

    assert (
        "The video link must be a secure web address starting with https://" in caught.value.message_dict["online_link"]
    )


@pytest.mark.django_db
def test_in_person_day_refuses_a_video_link(organisation):
    day = _day_in(VenueFactory(organisation=organisation), online_link="https://meet.example.org/room")

    with pytest.raises(ValidationError) as caught:
        day.full_clean()

    assert caught.value.message_dict["online_link"] == [
        "An in-person day has no video link. Make the day online or hybrid, or remove the link."
    ]
