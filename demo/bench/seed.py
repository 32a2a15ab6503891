"""The big day of the web benchmark, written in bulk.

A published day next week, 10:00 to 16:00 in 30-minute slots: 250 surgeons each
offering 6 to 8 slots (1,749 slots), one booking per surgeon by its own learner
(so about 1,500 slots stay free), workshops with places taken, about 1,200 open
matchmaking requests from other learners and a draft proposal for them, an
organiser, and people for the contention runs: a free slot and a workshop with
five places that nobody holds yet.

Rows go in with bulk_create (a few seconds on PostgreSQL), following what the
services write (bookings with their two commitments, places with theirs), except
the outbox rows no page of the benchmark reads. Only the proposal is made by the
service itself, since it is the solver the matchmaking page shows.
"""

import random
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from demo.surgeries import DEMO_TOPICS
from matchmaking.models import MatchRequest, RequestTopic, RequestWindow
from matchmaking.services import matchmaking_run
from people.enums import Perspective, Visibility
from people.models import Membership, Organisation, PersonPerspective, Profile, Topic, TopicOffer, User
from surgeries.models import AvailabilityWindow, Booking, CalendarFeed, Commitment, DaySurgeon, Slot, SurgeryDay, Venue
from workshops.models import Registration, Workshop, WorkshopFacilitator

ZONE = "Europe/London"
SLOT = timedelta(minutes=30)
SLOTS_IN_DAY = 12  # 10:00 to 16:00
WORKSHOPS = 6
WORKSHOP_PLACES = 20
WORKSHOP_TAKEN = 15
CONTENTION_PLACES = 5


@dataclass(frozen=True)
class Size:
    surgeons: int = 250
    requests: int = 1200
    contenders: int = 200


@dataclass
class BigDay:
    """Ids the benchmark needs: who signs in, and which slot and workshop they race for."""

    day_id: int
    organiser_id: int
    learner_id: int  # has a booking: "My bookings", the booking form, the calendar feed
    calendar_token: str
    form_slot_id: int  # a free slot whose booking form is measured
    contested_slot_id: int
    contested_workshop_id: int
    contender_ids: list[int] = field(default_factory=list)
    pairs: int = 0


def _day_start() -> datetime:
    zone = zoneinfo.ZoneInfo(ZONE)
    date = timezone.now().astimezone(zone).date() + timedelta(days=7)
    return datetime.combine(date, time(10), tzinfo=zone).astimezone(UTC)


def _people(prefix: str, count: int, password: str) -> list[User]:
    agreed = timezone.now()
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-{n:04d}@example.org",
            display_name=f"{prefix.title()} {n:04d}",
            password=password,
            code_of_conduct_version=settings.CODE_OF_CONDUCT_VERSION,
            code_of_conduct_accepted_at=agreed,
        )
        for n in range(1, count + 1)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users


def _organisation(password: str) -> tuple[Organisation, User, list[Topic]]:
    organisation = Organisation.objects.create(name="Big Day Network", slug="big-day")
    (organiser,) = _people("organiser", 1, password)
    Membership.objects.create(organisation=organisation, person=organiser, role=Membership.Role.ORGANISER)
    topics = Topic.objects.bulk_create(Topic(organisation=organisation, name=name) for name in DEMO_TOPICS)
    return organisation, organiser, topics


def _members(organisation: Organisation, people: list[User], role: str) -> None:
    Membership.objects.bulk_create(Membership(organisation=organisation, person=p, role=role) for p in people)


def _surgeons(rng: random.Random, day: SurgeryDay, people: list[User], topics: list[Topic]) -> list[list[Slot]]:
    """Each surgeon's profile, offers and slots; surgeon i offers 6 + i % 3 slots in a row."""
    Profile.objects.bulk_create(Profile(person=p, languages="English") for p in people)
    PersonPerspective.objects.bulk_create(
        PersonPerspective(
            person=p, perspective=rng.choice(Perspective.values), visibility=rng.choice(Visibility.values)
        )
        for p in people
    )
    chosen = {p.pk: rng.sample(topics, 3) for p in people}
    TopicOffer.objects.bulk_create(
        TopicOffer(person=p, topic=t, confidence=rng.choice((1, 2, 3))) for p in people for t in chosen[p.pk]
    )
    counts = [6 + index % 3 for index in range(len(people))]
    day_surgeons = DaySurgeon.objects.bulk_create(
        DaySurgeon(day=day, person=p, max_sessions=count) for p, count in zip(people, counts, strict=True)
    )
    DaySurgeon.topics.through.objects.bulk_create(
        DaySurgeon.topics.through(daysurgeon_id=ds.pk, topic_id=t.pk)
        for ds in day_surgeons
        for t in chosen[ds.person_id]
    )
    windows, slots = [], []
    for index, (ds, count) in enumerate(zip(day_surgeons, counts, strict=True)):
        first = day.starts_at + SLOT * (index % (SLOTS_IN_DAY - count + 1))
        windows.append(AvailabilityWindow(day_surgeon=ds, starts_at=first, ends_at=first + SLOT * count))
        slots.append(
            [
                Slot(
                    day=day,
                    day_surgeon=ds,
                    surgeon_id=ds.person_id,
                    starts_at=first + SLOT * n,
                    ends_at=first + SLOT * (n + 1),
                )
                for n in range(count)
            ]
        )
    AvailabilityWindow.objects.bulk_create(windows)
    Slot.objects.bulk_create(slot for row in slots for slot in row)
    return slots


def _bookings(day: SurgeryDay, slots: list[list[Slot]], learners: list[User], topics: list[Topic]) -> None:
    """Learner i books one slot of surgeon i, as booking_create would write it."""
    chosen = [row[index % len(row)] for index, row in enumerate(slots)]
    bookings = Booking.objects.bulk_create(
        Booking(day=day, slot=slot, learner=learner, surgeon_id=slot.surgeon_id, booked_by=learner)
        for slot, learner in zip(chosen, learners, strict=True)
    )
    Booking.topics.through.objects.bulk_create(
        Booking.topics.through(booking_id=b.pk, topic_id=topics[b.pk % len(topics)].pk) for b in bookings
    )
    Commitment.objects.bulk_create(
        Commitment(
            person_id=person_id, day=day, starts_at=slot.starts_at, ends_at=slot.ends_at, role=role, booking=booking
        )
        for booking, slot in zip(bookings, chosen, strict=True)
        for person_id, role in (
            (booking.learner_id, Commitment.Role.LEARNER),
            (slot.surgeon_id, Commitment.Role.SURGEON),
        )
    )


def _workshop(day: SurgeryDay, index: int, facilitator: User, *, capacity: int, hour: int) -> Workshop:
    starts_at = day.starts_at + timedelta(hours=hour)
    workshop = Workshop.objects.create(
        day=day,
        title=f"Workshop {index + 1}: staying well online",
        description="Hands-on, in small groups.",
        room=f"Room {index + 1}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        capacity=capacity,
    )
    commitment = Commitment.objects.create(
        person=facilitator,
        day=day,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        role=Commitment.Role.FACILITATOR,
    )
    WorkshopFacilitator.objects.create(workshop=workshop, person=facilitator, commitment=commitment)
    return workshop


def _workshops(day: SurgeryDay, facilitators: list[User], participants: list[User]) -> Workshop:
    """WORKSHOPS workshops with WORKSHOP_TAKEN places taken each, and the empty one raced for."""
    for index in range(WORKSHOPS):
        workshop = _workshop(day, index, facilitators[index], capacity=WORKSHOP_PLACES, hour=index % 6)
        people = participants[index * WORKSHOP_TAKEN : (index + 1) * WORKSHOP_TAKEN]
        commitments = Commitment.objects.bulk_create(
            Commitment(
                person=p,
                day=day,
                starts_at=workshop.starts_at,
                ends_at=workshop.ends_at,
                role=Commitment.Role.PARTICIPANT,
            )
            for p in people
        )
        Registration.objects.bulk_create(
            Registration(workshop=workshop, person=p, seat_number=seat, capacity=workshop.capacity, commitment=c)
            for seat, (p, c) in enumerate(zip(people, commitments, strict=True), start=1)
        )
    return _workshop(day, WORKSHOPS, facilitators[WORKSHOPS], capacity=CONTENTION_PLACES, hour=5)


def _requests(rng: random.Random, day: SurgeryDay, learners: list[User], topics: list[Topic]) -> None:
    """Open requests as match_request_save writes them: one to three topics, most with a window."""
    requests = MatchRequest.objects.bulk_create(MatchRequest(day=day, learner=p, languages="English") for p in learners)
    RequestTopic.objects.bulk_create(
        RequestTopic(request=r, topic=t, priority=rng.randint(1, 3))
        for r in requests
        for t in rng.sample(topics, rng.randint(1, 3))
    )
    windows = []
    for request in requests:
        if rng.random() < 0.7:
            first = rng.randrange(SLOTS_IN_DAY // 2) * 2
            last = min(first + rng.randint(2, 6), SLOTS_IN_DAY)
            windows.append(
                RequestWindow(
                    request=request, starts_at=day.starts_at + SLOT * first, ends_at=day.starts_at + SLOT * last
                )
            )
    RequestWindow.objects.bulk_create(windows)


@transaction.atomic
def seed_big_day(*, size: Size = Size(), seed: int = 1) -> BigDay:
    rng = random.Random(seed)  # noqa: S311 -- repeatable bench data, not a secret
    # One hash for everyone: nobody logs in with it (the bench makes sessions directly).
    password = make_password(None)
    organisation, organiser, topics = _organisation(password)
    venue = Venue.objects.create(organisation=organisation, name="City Hall", address="1 The Square", time_zone=ZONE)
    starts_at = _day_start()
    day = SurgeryDay.objects.create(
        organisation=organisation,
        venue=venue,
        title="City-wide social media surgery",
        starts_at=starts_at,
        ends_at=starts_at + SLOT * SLOTS_IN_DAY,
        status=SurgeryDay.Status.PUBLISHED,
        slot_minutes=30,
    )
    surgeons = _people("surgeon", size.surgeons, password)
    learners = _people("learner", size.surgeons, password)
    askers = _people("asker", size.requests, password)
    facilitators = _people("facilitator", WORKSHOPS + 1, password)
    contenders = _people("contender", size.contenders, password)
    _members(organisation, surgeons, Membership.Role.SURGEON)
    _members(organisation, facilitators, Membership.Role.FACILITATOR)
    _members(organisation, [*learners, *askers, *contenders], Membership.Role.MEMBER)
    slots = _surgeons(rng, day, surgeons, topics)
    _bookings(day, slots, learners, topics)
    workshop = _workshops(day, facilitators, askers)
    _requests(rng, day, askers, topics)
    proposal = matchmaking_run(day=day, by=organiser).proposal
    feed = CalendarFeed.objects.create(person=learners[0])
    # Surgeon 1's slots: the booking form opens its last one; contenders race for its second to last.
    return BigDay(
        day_id=day.pk,
        organiser_id=organiser.pk,
        learner_id=learners[0].pk,
        calendar_token=feed.token,
        form_slot_id=slots[1][-1].pk,
        contested_slot_id=slots[1][-2].pk,
        contested_workshop_id=workshop.pk,
        contender_ids=[p.pk for p in contenders],
        pairs=proposal.pairs.count(),
    )
