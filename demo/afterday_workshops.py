"""Workshops on the finished demo day, with who came and what they thought, so the
impact report's workshop section and "My sessions" have something to show.

Call `seed_past_workshops(day=...)` with the finished day from
`demo.afterday`. Safe to run again: a day that has workshops is left as it is.
"""

from datetime import timedelta

from afterday.models import WorkshopFeedback
from people.models import User
from surgeries.models import Commitment, SurgeryDay
from workshops.models import Registration, Workshop, WorkshopFacilitator

# (title, hours after the day starts, facilitator, how many came, ratings in order)
PAST_WORKSHOPS = [
    ("Getting started with Instagram", 3, "joan@example.org", 11, [5, 4, 5, 4, 3, 5, 4, 5, 4, 5]),
    ("Staying well when posting about your own story", 4, "sam@example.org", 6, [5, 5, 5]),
]
# Everyone listed here had a place; Alex has not said how the workshops went yet, so
# logging in as Alex shows the "Say how useful it was" buttons.
PARTICIPANT_EMAILS = [
    "maria@example.org",
    "alex@example.org",
    "tom@example.org",
    "aisha@example.org",
    "ben@example.org",
    "chloe@example.org",
    "dan@example.org",
    "efe@example.org",
    "fran@example.org",
    "gus@example.org",
    "hana@example.org",
    "ivan@example.org",
    "jo@example.org",
]
COMMENTS = {0: "I finally understand hashtags.", 2: "Good pace, friendly group."}


def _commitment(workshop: Workshop, person: User, role: str) -> Commitment:
    return Commitment.objects.create(
        person=person, day=workshop.day, starts_at=workshop.starts_at, ends_at=workshop.ends_at, role=role
    )


def _workshop(day: SurgeryDay, title: str, hours: int, facilitator: User) -> Workshop:
    starts = day.starts_at + timedelta(hours=hours)
    workshop = Workshop.objects.create(
        day=day,
        title=title,
        description="A hands-on hour in a small group.",
        room="Room 2",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=14,
    )
    commitment = _commitment(workshop, facilitator, Commitment.Role.FACILITATOR)
    WorkshopFacilitator.objects.create(workshop=workshop, person=facilitator, commitment=commitment)
    return workshop


def seed_past_workshops(*, day: SurgeryDay) -> list[Workshop]:
    if day.workshops.exists():
        return list(day.workshops.all())
    people = {person.email: person for person in User.objects.filter(email__in=PARTICIPANT_EMAILS)}
    participants = [people[email] for email in PARTICIPANT_EMAILS if email in people]
    workshops = []
    for title, hours, facilitator_email, came, ratings in PAST_WORKSHOPS:
        workshop = _workshop(day, title, hours, User.objects.get(email=facilitator_email))
        raters = [person for person in participants[:came] if person.email != "alex@example.org"][: len(ratings)]
        # One more place than came: that person is marked "did not come".
        for seat, person in enumerate(participants[: came + 1], start=1):
            place = Registration.objects.create(
                workshop=workshop,
                person=person,
                seat_number=seat,
                capacity=workshop.capacity,
                commitment=_commitment(workshop, person, Commitment.Role.PARTICIPANT),
                is_no_show=seat == came + 1,
                created_at=day.starts_at - timedelta(days=7),
            )
            if person in raters:
                index = raters.index(person)
                WorkshopFeedback.objects.create(
                    registration=place,
                    workshop=workshop,
                    author=person,
                    usefulness=ratings[index],
                    comment=COMMENTS.get(index, "") if hours == 3 else "",
                    comment_audience=WorkshopFeedback.CommentAudience.FACILITATORS,
                )
        workshops.append(workshop)
    return workshops
