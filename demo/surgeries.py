"""Demo venue, surgery day, surgeons and bookings for `manage.py seed_demo`.

Safe to run again: an existing future day keeps its bookings; a day that has
passed is rolled on to next week and its programme is made afresh.
"""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from people.models import Organisation, Topic, User
from surgeries import services
from surgeries.models import Booking, DayBreak, DaySurgeon, Slot, SurgeryDay, Venue

DEMO_ZONE = "Europe/London"
DEMO_TOPICS = [
    "Getting started on Facebook",
    "Facebook pages for groups",
    "Privacy and safety settings",
    "Dealing with trolls",
    "Wellbeing and boundaries online",
    "Blogging",
    "Video and podcasts",
]
# email, windows (local times), topics they offer
DEMO_SURGEONS = [
    ("sam@example.org", [(time(10), time(12, 30)), (time(13, 30), time(15))], [2, 3, 4]),
    ("joan@example.org", [(time(10), time(12, 30))], [5, 6]),
    ("dev@example.org", [(time(11), time(12, 30)), (time(13, 30), time(15))], [0, 1, 2]),
    ("tom@example.org", [(time(13, 30), time(15))], [0, 5]),
]
# learner email, surgeon email, local start, topic indexes, note
DEMO_BOOKINGS = [
    ("alex@example.org", "sam@example.org", time(10), [2], "I'd like to lock down who can see my posts."),
    ("maria@example.org", "joan@example.org", time(10, 30), [5], "Starting a blog for our drop-in."),
    ("tom@example.org", "dev@example.org", time(11), [1], ""),
    ("maria@example.org", "sam@example.org", time(14), [4], ""),
]


def _next_week_at(local_time: time) -> datetime:
    zone = zoneinfo.ZoneInfo(DEMO_ZONE)
    day = timezone.now().astimezone(zone).date() + timedelta(days=7)
    return datetime.combine(day, local_time, tzinfo=zone).astimezone(zoneinfo.ZoneInfo("UTC"))


def _on_day(day: SurgeryDay, local_time: time) -> datetime:
    zone = zoneinfo.ZoneInfo(DEMO_ZONE)
    return datetime.combine(day.starts_at.astimezone(zone).date(), local_time, tzinfo=zone).astimezone(UTC)


def _seed_programme(day: SurgeryDay, organiser: User, topics: list[Topic]) -> None:
    for email, windows, topic_indexes in DEMO_SURGEONS:
        person = User.objects.get(email=email)
        day_surgeon = services.surgeon_join(day=day, person=person, by=organiser)
        services.availability_set(
            day_surgeon=day_surgeon,
            by=organiser,
            windows=[(_on_day(day, s), _on_day(day, e)) for s, e in windows],
            max_sessions=day_surgeon.max_sessions,
        )
        services.surgeon_topics_set(day_surgeon=day_surgeon, topic_ids=[topics[i].pk for i in topic_indexes])
    for learner_email, surgeon_email, start, topic_indexes, note in DEMO_BOOKINGS:
        slot = Slot.objects.get(day=day, surgeon__email=surgeon_email, starts_at=_on_day(day, start))
        if not Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists():
            services.booking_create(
                slot_id=slot.pk,
                learner=User.objects.get(email=learner_email),
                topic_ids=[topics[i].pk for i in topic_indexes],
                note=note,
            )


def _reset_programme(day: SurgeryDay) -> None:
    Booking.objects.filter(day=day).delete()
    DaySurgeon.objects.filter(day=day).delete()


def seed_surgery_days(*, organisation: Organisation) -> list[SurgeryDay]:
    venue, _ = Venue.objects.update_or_create(
        organisation=organisation,
        name="Central Library, Community Room",
        defaults={
            "address": "Calverley Street\nLeeds LS1 3AB",
            "access_information": "Step-free entrance on Calverley Street. Lift to all floors. "
            "Accessible toilet next to the room. A quiet room is available all day.",
            "time_zone": DEMO_ZONE,
        },
    )
    topics = [Topic.objects.get_or_create(organisation=organisation, name=name)[0] for name in DEMO_TOPICS]
    day = SurgeryDay.objects.filter(organisation=organisation, title="Winter social media surgery").first()
    # Keep the demo day in the future: a day that has passed is rolled on to next week.
    if day is None or day.ends_at <= timezone.now():
        if day is not None:
            _reset_programme(day)
        day = day or SurgeryDay(organisation=organisation, title="Winter social media surgery")
        day.venue = venue
        day.description = "One-to-one help, a workshop on wellbeing and boundaries online, and open space."
        day.starts_at = _next_week_at(time(10, 0))
        day.ends_at = _next_week_at(time(15, 0))
        day.status = SurgeryDay.Status.PUBLISHED
        day.slot_minutes = 30
        day.safeguarding_contact = "Priya (organiser), at the welcome desk all day"
        day.surgeons_may_opt_in = True
        day.full_clean()
        day.save()
        DayBreak.objects.filter(day=day).delete()
        DayBreak.objects.create(
            day=day, label="Lunch", starts_at=_on_day(day, time(12, 30)), ends_at=_on_day(day, time(13, 30))
        )
    organiser = User.objects.get(email="organiser@example.org")
    _seed_programme(day, organiser, topics)
    return [day]
