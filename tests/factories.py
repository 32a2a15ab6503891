"""factory_boy factories shared by every test module."""

import re
import zoneinfo
from dataclasses import replace
from datetime import datetime, timedelta

import factory
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from matchmaking.services import RequestDetails, match_request_save, proposal_confirm_pairs, proposal_confirm_start
from outbox.models import Notification
from outbox.services import notification_schedule
from people.enums import Confidence, Perspective, Visibility
from people.models import (
    Invitation,
    Membership,
    Organisation,
    PersonPerspective,
    Profile,
    Topic,
    TopicOffer,
    TopicWant,
    User,
)
from people.services import hash_token
from surgeries.models import Booking, Commitment, DaySurgeon, Slot, SurgeryDay, Venue
from surgeries.notifications import DAY_REMINDER, HOUR_BEFORE
from surgeries.services import booking_create, days_finish_ended
from workshops.models import Registration, Workshop, WorkshopFacilitator
from workshops.services import WorkshopDetails, registration_create

TEST_PASSWORD = "a-long-test-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    code_of_conduct_version = settings.CODE_OF_CONDUCT_VERSION
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Surgery network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "1 High Street\nLeeds"
    time_zone = "Europe/London"


def member(organisation, *, role=Membership.Role.MEMBER, **person_fields) -> User:
    """A person in `organisation` with `role`; `person_fields` (display_name, email, ...) go to the user."""
    person = UserFactory(**person_fields)
    MembershipFactory(organisation=organisation, person=person, role=role)
    return person


def log_in_as(client, request, persona: str) -> None:
    """Log the test client in as the persona fixture of that name; "anonymous" stays logged out."""
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def every_time_offered(client, url: str) -> dict[str, str]:
    """Each page of a slot choice that offers free sessions a time at a time
    (templates/surgeries/_slot_hours.html), by the start in its address."""
    first = client.get(url).content.decode()
    return {
        start: client.get(f"{url}?from={start}").content.decode() for start in re.findall(r'\?from=([^"]+)"', first)
    }


def status_of(instance) -> str:
    """The status saved in the database now, whatever the copy in hand says."""
    return type(instance).objects.values_list("status", flat=True).get(pk=instance.pk)


def local_datetime(day, hour: int, minute: int = 0, zone: str = "Europe/London") -> datetime:
    """A UTC datetime for a wall-clock time at a venue."""
    naive = datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(zoneinfo.ZoneInfo("UTC"))


class SurgeryDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurgeryDay

    organisation = factory.SubFactory(OrganisationFactory)
    venue = factory.SubFactory(VenueFactory, organisation=factory.SelfAttribute("..organisation"))
    title = factory.Sequence(lambda n: f"Surgery day {n}")
    starts_at = factory.LazyFunction(lambda: local_datetime(timezone.now().date() + timedelta(days=7), 10))
    ends_at = factory.LazyAttribute(lambda day: day.starts_at + timedelta(hours=5))
    status = SurgeryDay.Status.PUBLISHED


def day_reminder(recipient, *, due_at, state=Notification.State.PENDING) -> Notification:
    """An hour-before reminder for a day of its own, put in `state`."""
    row = notification_schedule(
        kind=DAY_REMINDER, recipient=recipient, subject=SurgeryDayFactory(), slot=HOUR_BEFORE, due_at=due_at
    )
    Notification.objects.filter(pk=row.pk).update(state=state)
    return row


# --- people: profiles, skills, invitations ---------------------------------------


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    person = factory.SubFactory(UserFactory)
    pronouns = "they/them"
    languages = "English"


class PersonPerspectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonPerspective

    person = factory.SubFactory(UserFactory)
    perspective = Perspective.LIVED_EXPERIENCE
    visibility = Visibility.ONLY_ME


class TopicOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicOffer

    person = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    confidence = Confidence.CONFIDENT


class TopicWantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicWant

    person = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass `token=` to know the raw token; only its hash is stored."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.SURGEON
    token = factory.Sequence(lambda n: f"test-token-{n}")
    token_hash = factory.LazyAttribute(lambda invitation: hash_token(invitation.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


# --- surgeries: surgeons, slots and bookings -------------------------------


class DaySurgeonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DaySurgeon

    day = factory.SubFactory(SurgeryDayFactory)
    person = factory.SubFactory(UserFactory)
    max_sessions = 20


class SlotFactory(factory.django.DjangoModelFactory):
    """A free 30-minute slot; by default the first one of the day."""

    class Meta:
        model = Slot

    day_surgeon = factory.SubFactory(DaySurgeonFactory)
    day = factory.SelfAttribute("day_surgeon.day")
    surgeon = factory.SelfAttribute("day_surgeon.person")
    starts_at = factory.LazyAttribute(lambda slot: slot.day_surgeon.day.starts_at)
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(minutes=30))


def booked_slot(*, slot: Slot | None = None, learner: User | None = None, **booking_fields) -> Booking:
    """A booking made the ordinary way, through the service, so commitments exist too."""

    slot = slot or SlotFactory()
    learner = learner or UserFactory()
    return booking_create(slot_id=slot.pk, learner=learner, **booking_fields)


# --- workshops: workshops, open space and registrations ----------------------


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A one-hour workshop at the start of a published day."""

    class Meta:
        model = "workshops.Workshop"

    day = factory.SubFactory(SurgeryDayFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    description = "A friendly hour of hands-on practice."
    room = "Room 2"
    starts_at = factory.LazyAttribute(lambda workshop: workshop.day.starts_at)
    ends_at = factory.LazyAttribute(lambda workshop: workshop.starts_at + timedelta(hours=1))
    capacity = 10


class OpenSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.OpenSpace"

    day = factory.SubFactory(SurgeryDayFactory)
    title = "Open space"
    room = "Main hall"
    starts_at = factory.LazyAttribute(lambda block: block.day.starts_at + timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda block: block.starts_at + timedelta(hours=1))


def registered(*, workshop=None, person: User | None = None):
    """A registration made the ordinary way, through the service, so its commitment exists too."""

    workshop = workshop or WorkshopFactory()
    person = person or UserFactory()
    return registration_create(workshop_id=workshop.pk, person=person)


def facilitating(*, workshop=None, person: User | None = None):
    """Make `person` run `workshop`, with the commitment that keeps them free for it."""

    workshop = workshop or WorkshopFactory()
    person = person or UserFactory()
    commitment = Commitment.objects.create(
        person=person,
        day=workshop.day,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        role=Commitment.Role.FACILITATOR,
    )
    return WorkshopFacilitator.objects.create(workshop=workshop, person=person, commitment=commitment)


def details_for(day, **changes) -> WorkshopDetails:
    """What an organiser fills in for a one-hour workshop on `day`, with `changes` applied."""
    details = WorkshopDetails(
        title="Wellbeing and boundaries online",
        description="How to look after yourself online.",
        room="Room 2",
        starts_at=day.starts_at + timedelta(hours=1),
        ends_at=day.starts_at + timedelta(hours=2),
        capacity=12,
    )
    return replace(details, **changes)


def active_commitments(person) -> list[tuple[str, object]]:
    return list(Commitment.objects.filter(person=person, is_active=True).values_list("role", "starts_at"))


def fill_day(day, count: int) -> None:
    """`count` workshops, each with a facilitator and a registration, and `count` open-space blocks."""
    for index in range(count):
        workshop = WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(minutes=index))
        person, attendee = (
            User.objects.create(email=f"{kind}{index}@example.org", display_name=f"{kind} {index}", password="!")
            for kind in ("facilitator", "attendee")
        )
        commitment = Commitment.objects.create(
            person=person, day=day, starts_at=workshop.starts_at, ends_at=workshop.ends_at, role="facilitator"
        )
        WorkshopFacilitator.objects.create(workshop=workshop, person=person, commitment=commitment)
        registered(workshop=workshop, person=attendee)
        OpenSpaceFactory(day=day)


# --- Days and workshops that already took place -----------------------------------------
# Booking and registration services refuse sessions and workshops in the past, so these
# write them directly, with the commitments the services would have made.


def past_day(organisation, *, days_ago: int = 2, **fields) -> SurgeryDay:
    starts = local_datetime(timezone.now().date() - timedelta(days=days_ago), 10)
    fields.setdefault("status", SurgeryDay.Status.FINISHED)
    return SurgeryDayFactory(organisation=organisation, starts_at=starts, ends_at=starts + timedelta(hours=5), **fields)


def day_on(organisation, on, **fields) -> SurgeryDay:
    """A five-hour day from 10:00 Leeds time on the date `on`."""
    starts = local_datetime(on, 10)
    return SurgeryDayFactory(organisation=organisation, starts_at=starts, ends_at=starts + timedelta(hours=5), **fields)


def past_session(day: SurgeryDay, *, surgeon=None, learner=None, index: int = 0, topics=(), **booking) -> Booking:
    """One held session on `day`, `index` half-hours after it starts."""
    surgeon = surgeon or UserFactory()
    learner = learner or UserFactory()
    day_surgeon, _ = DaySurgeon.objects.get_or_create(day=day, person=surgeon)
    starts = day.starts_at + timedelta(minutes=30 * index)
    slot = Slot.objects.create(
        day=day, day_surgeon=day_surgeon, surgeon=surgeon, starts_at=starts, ends_at=starts + timedelta(minutes=30)
    )
    made = Booking.objects.create(day=day, slot=slot, learner=learner, surgeon=surgeon, **booking)
    made.topics.set(topics)
    return made


def past_workshop(day: SurgeryDay, *, facilitator=None, index: int = 0, **fields) -> Workshop:
    """A workshop on `day`, `index` hours after it starts, run by `facilitator` if given."""
    starts = day.starts_at + timedelta(hours=index)
    fields.setdefault("title", f"Workshop {index + 1}")
    workshop = Workshop.objects.create(
        day=day,
        description="Hands-on practice.",
        room="Room 2",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=fields.pop("capacity", 30),
        **fields,
    )
    if facilitator is not None:
        commitment = _past_commitment(workshop, facilitator, Commitment.Role.FACILITATOR)
        WorkshopFacilitator.objects.create(workshop=workshop, person=facilitator, commitment=commitment)
    return workshop


def past_place(workshop: Workshop, person=None, **fields) -> Registration:
    person = person or UserFactory()
    seat = workshop.registrations.count() + 1
    return Registration.objects.create(
        workshop=workshop,
        person=person,
        seat_number=seat,
        capacity=workshop.capacity,
        commitment=_past_commitment(workshop, person, Commitment.Role.PARTICIPANT),
        **fields,
    )


def _past_commitment(workshop: Workshop, person, role: str) -> Commitment:
    return Commitment.objects.create(
        person=person, day=workshop.day, starts_at=workshop.starts_at, ends_at=workshop.ends_at, role=role
    )


# --- A small matchmaking day ------------------------------------------------------------


def headline(report) -> dict[str, str]:
    """A report's (or report section's) headline figures as the page shows them."""
    return {label: str(cell) for label, cell in report.headline}


def make_day(organisation):
    """A published day and the organisation's two topics (made the first time)."""
    day = SurgeryDayFactory(organisation=organisation)
    topics = {
        name: Topic.objects.filter(organisation=organisation, name=name).first()
        or TopicFactory(organisation=organisation, name=name)
        for name in ("Blogging", "Privacy settings")
    }
    return day, topics


def add_surgeon(day, *, person=None, offers=None, languages="English", slots=2, max_sessions=6, perspectives=None):
    """A surgeon with back-to-back 30-minute slots from the start of the day."""
    person = person or UserFactory()
    if not Membership.objects.filter(organisation=day.organisation, person=person).exists():
        MembershipFactory(organisation=day.organisation, person=person, role=Membership.Role.SURGEON)
    ProfileFactory(person=person, languages=languages)
    for topic, confidence in (offers or {}).items():
        TopicOfferFactory(person=person, topic=topic, confidence=confidence)
    for code, visibility in (perspectives or {}).items():
        PersonPerspectiveFactory(person=person, perspective=code, visibility=visibility)
    day_surgeon = DaySurgeonFactory(day=day, person=person, max_sessions=max_sessions)
    made = [
        SlotFactory(day_surgeon=day_surgeon, starts_at=day.starts_at + timedelta(minutes=30 * k)) for k in range(slots)
    ]
    return person, made


def add_request(day, *, learner=None, topics=None, preferences=(), languages="English", windows=()):
    learner = learner or UserFactory()
    details = RequestDetails(
        topics={topic.pk: priority for topic, priority in (topics or {}).items()},
        preferences=list(preferences),
        languages=languages,
        windows=list(windows),
    )
    return match_request_save(day=day, learner=learner, details=details)


def busy(person, day, start, minutes=30):
    return Commitment.objects.create(
        person=person,
        day=day,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        role=Commitment.Role.PARTICIPANT,
    )


def confirm_now(day, proposal, by):
    """Confirm a proposal and book it here and now, as the queued job would; returns the proposal."""
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=by)
    return proposal_confirm_pairs(proposal_id=proposal.pk)


def held_and_finished_day(organisation, learner, surgeon) -> SurgeryDay:
    """A day booked the ordinary way beforehand, held two days ago, then finished by the hourly job."""
    day = past_day(organisation, title="Autumn surgery", status=SurgeryDay.Status.PUBLISHED)
    with time_machine.travel(day.starts_at - timedelta(days=1), tick=False):
        booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon)), learner=learner)
        workshop = WorkshopFactory(day=day, title="Video calls", starts_at=day.starts_at + timedelta(hours=1))
        registered(workshop=workshop, person=learner)
    days_finish_ended()
    return day


# --- Who may open an organiser-only page ----------------------------------------------

# The conftest personas who are signed in, and what an organiser-only page answers
# each: a member who is not an organiser is refused (403); someone from outside the
# organisation is told the page does not exist (404).
SIGNED_IN_PERSONAS = ["organiser", "surgeon", "learner", "other_organiser", "stranger"]
ORGANISER_ONLY = {"organiser": 200, "surgeon": 403, "learner": 403, "other_organiser": 404, "stranger": 404}


def big_day(organisation, *, surgeons: int = 250, slots_each: int = 6, topics: int = 12) -> SurgeryDay:
    """A published day as big as a city-wide surgery: bulk-created, so it takes a second, not a minute.

    Each surgeon offers `slots_each` half-hour sessions spread over the day's five
    hours and two of the organisation's topics; none is booked, so all are free.
    """
    day = SurgeryDayFactory(organisation=organisation, title="City-wide surgery")
    offered = Topic.objects.bulk_create(
        Topic(organisation=organisation, name=f"Topic {index:02d}") for index in range(topics)
    )
    people = User.objects.bulk_create(
        User(email=f"big-surgeon-{day.pk}-{index}@example.org", display_name=f"Surgeon {index:03d}", password="!")
        for index in range(surgeons)
    )
    day_surgeons = DaySurgeon.objects.bulk_create(
        DaySurgeon(day=day, person=person, max_sessions=20) for person in people
    )
    through = DaySurgeon.topics.through
    through.objects.bulk_create(
        through(daysurgeon_id=ds.pk, topic_id=offered[(index + k) % topics].pk)
        for index, ds in enumerate(day_surgeons)
        for k in (0, 1)
    )
    starts = [day.starts_at + timedelta(minutes=30 * k) for k in range(10)]
    Slot.objects.bulk_create(
        Slot(
            day=day,
            day_surgeon=ds,
            surgeon_id=ds.person_id,
            starts_at=starts[(index + k) % len(starts)],
            ends_at=starts[(index + k) % len(starts)] + timedelta(minutes=30),
        )
        for index, ds in enumerate(day_surgeons)
        for k in range(slots_each)
    )
    return day


def book_many(day, *, bookings: int) -> None:
    """`bookings` of the day's slots taken by new learners ("Learner 000", ...) in a few
    bulk inserts, spread evenly over the slots in surgeon order, with the commitments
    booking would have made. For `big_day`, whose slots are all free."""
    slots = list(Slot.objects.filter(day=day).order_by("day_surgeon__person__display_name", "starts_at", "id"))
    taken = slots[:: max(1, len(slots) // bookings)][:bookings] if bookings else []
    learners = User.objects.bulk_create(
        User(email=f"big-learner-{day.pk}-{n}@example.org", display_name=f"Learner {n:03d}", password="!")
        for n in range(len(taken))
    )
    made = Booking.objects.bulk_create(
        Booking(day=day, slot=slot, learner=learner, surgeon_id=slot.surgeon_id)
        for slot, learner in zip(taken, learners, strict=True)
    )
    Commitment.objects.bulk_create(
        Commitment(
            person_id=person_id, day=day, starts_at=b.slot.starts_at, ends_at=b.slot.ends_at, role=role, booking=b
        )
        for b in made
        for person_id, role in ((b.learner_id, Commitment.Role.LEARNER), (b.surgeon_id, Commitment.Role.SURGEON))
    )


def booked_big_day(organisation, *, surgeons: int = 250, slots_each: int = 6, bookings: int = 300) -> SurgeryDay:
    """`big_day` with `bookings` of its slots taken (see `book_many`)."""
    day = big_day(organisation, surgeons=surgeons, slots_each=slots_each)
    book_many(day, bookings=bookings)
    return day
