"""A finished past surgery day with sessions, feedback, next steps and directory
listings, so the impact report, "My sessions" and the directory have something to show.

Call `seed_after_the_day(organisation=...)` after the people and the upcoming day
are seeded. Safe to run again: an existing past demo day is left as it is.
"""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from afterday.models import Feedback, SessionNote
from directory.services import listing_save
from people.enums import Perspective, Visibility
from people.models import Membership, Organisation, PersonPerspective, Topic, User
from people.selectors import active_topics_of
from surgeries.models import Booking, DaySurgeon, Slot, SurgeryDay, Venue

TITLE = "Autumn social media surgery"
ZONE = zoneinfo.ZoneInfo("Europe/London")
# Extra learners who came to the past day; they have no password and cannot log in.
PAST_LEARNERS = ["Aisha", "Ben", "Chloe", "Dan", "Efe", "Fran", "Gus", "Hana", "Ivan", "Jo"]
SURGEON_EMAILS = ["sam@example.org", "joan@example.org", "dev@example.org"]
# topic indexes in the organisation's topic list (alphabetical), per session
SESSION_TOPICS = [[0], [4], [4], [1], [5], [4], [2], [0], [4], [6], [3], [4], [5]]
RATINGS = [5, 5, 4, 5, 3, 4, 5, 5, 4, 2, 5, 4]


def _learners(organisation: Organisation) -> list[User]:
    people = [User.objects.get(email=email) for email in ["alex@example.org", "maria@example.org", "tom@example.org"]]
    for index, name in enumerate(PAST_LEARNERS):
        person, created = User.objects.get_or_create(
            email=f"{name.lower()}@example.org",
            defaults={"display_name": name, "password": make_password(None)},
        )
        Membership.objects.get_or_create(organisation=organisation, person=person)
        if created and index % 3 != 2:
            # Two in three share their perspective with organisers, so the report can count them.
            perspective = Perspective.LIVED_EXPERIENCE if index % 2 == 0 else Perspective.WORKER_VOLUNTARY
            PersonPerspective.objects.create(person=person, perspective=perspective, visibility=Visibility.ORGANISERS)
        people.append(person)
    return people


def _day(organisation: Organisation) -> SurgeryDay:
    on = timezone.now().astimezone(ZONE).date() - timedelta(days=14)
    starts = datetime.combine(on, time(10), tzinfo=ZONE).astimezone(UTC)
    day = SurgeryDay(
        organisation=organisation,
        title=TITLE,
        venue=Venue.objects.filter(organisation=organisation).first(),
        description="Our autumn surgery: one-to-one help and open space.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=5),
        status=SurgeryDay.Status.FINISHED,
        safeguarding_contact="Priya (organiser), at the welcome desk all day",
    )
    day.full_clean()
    day.save()
    return day


def _sessions(day: SurgeryDay, learners: list[User], topics: list[Topic]) -> list[Booking]:
    surgeons = [User.objects.get(email=email) for email in SURGEON_EMAILS]
    bookings = []
    for index, topic_indexes in enumerate(SESSION_TOPICS):
        surgeon = surgeons[index % len(surgeons)]
        day_surgeon, _ = DaySurgeon.objects.get_or_create(day=day, person=surgeon)
        starts = day.starts_at + timedelta(minutes=30 * (index // len(surgeons)))
        slot = Slot.objects.create(
            day=day, day_surgeon=day_surgeon, surgeon=surgeon, starts_at=starts, ends_at=starts + timedelta(minutes=30)
        )
        booking = Booking.objects.create(
            day=day, slot=slot, learner=learners[index % len(learners)], surgeon=surgeon, checked_in_at=starts
        )
        booking.topics.set([topics[i] for i in topic_indexes if i < len(topics)])
        bookings.append(booking)
    return bookings


def _feedback(day: SurgeryDay, bookings: list[Booking]) -> None:
    for booking, rating in zip(bookings, RATINGS, strict=False):
        Feedback.objects.create(
            day=day,
            booking=booking,
            author=booking.learner,
            role=Feedback.Role.LEARNER,
            usefulness=rating,
            comment="Really patient, thank you." if rating == 5 else "",
            comment_audience=Feedback.CommentAudience.SURGEON,
        )
    SessionNote.objects.create(
        booking=bookings[0],
        written_by=bookings[0].surgeon,
        text="1. Check who can see your posts: Settings, then Privacy.\n"
        "2. Turn on two-step log-in.\n3. Try a private group for your drop-in.",
    )


def seed_after_the_day(*, organisation: Organisation) -> SurgeryDay:
    day = SurgeryDay.objects.filter(organisation=organisation, title=TITLE).first()
    if day is not None:
        return day
    topics = list(active_topics_of(organisation_id=organisation.pk).order_by("name"))
    day = _day(organisation)
    bookings = _sessions(day, _learners(organisation), topics)
    _feedback(day, bookings)
    for email, intro in [
        ("sam@example.org", "Privacy settings and staying safe online. Happy to meet for a coffee."),
        ("alex@example.org", "Learning to run a Facebook page for our peer group."),
        ("joan@example.org", "Community journalist: blogging and podcasts."),
    ]:
        listing_save(person=User.objects.get(email=email), organisation=organisation, intro=intro)
    return day
