"""Fill the demo day with many matchmaking requests, and optionally time a run.

Too heavy for `seed_demo`, so it is its own command. Safe to run again: people,
surgeons and requests that already exist are left as they are.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from demo.people import DEMO_PASSWORD, seed_people
from demo.surgeries import seed_surgery_days
from matchmaking.models import MatchProposal, MatchRequest
from matchmaking.selectors import proposal_page
from matchmaking.services import RequestDetails, match_request_save, matchmaking_run, proposal_confirm_start
from matchmaking.services.confirm import proposal_confirmations_book_waiting
from people.enums import Perspective, Visibility
from people.models import Membership, PersonPerspective, Profile, Topic, TopicOffer, User
from people.selectors import active_topics_of, organisers_of
from surgeries.models import DaySurgeon, SurgeryDay
from surgeries.services import availability_set, surgeon_join

LEARNERS_PER_SURGEON = 8
OTHER_LANGUAGES = ("Urdu", "Polish", "Punjabi", "Welsh")


class Command(BaseCommand):
    help = "Add matchmaking requests (and enough surgeons and slots) to the demo surgery day."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--time", dest="timed", action="store_true", help="Then run matchmaking and time load, solve and show."
        )
        parser.add_argument(
            "--confirm", action="store_true", help="With --time: then confirm the proposal and time booking it."
        )

    def handle(self, *args, learners: int, seed: int, timed: bool, confirm: bool, **options):
        rng = random.Random(seed)  # noqa: S311 -- repeatable demo data, not a secret
        with transaction.atomic():
            organisation, _people_seeded = seed_people()
            day = seed_surgery_days(organisation=organisation)[0]
            organiser = organisers_of(organisation=organisation).order_by("pk").first()
            topics = list(active_topics_of(organisation_id=organisation.pk))
            surgeons = _people(organisation, "surgeon", max(4, -(-learners // LEARNERS_PER_SURGEON)))
            _surgeon_profiles(rng, surgeons, topics)
            _join_day(rng, day, surgeons, organiser)
            made = _requests(rng, day, _people(organisation, "learner", learners), topics)
        self.stdout.write(self.style.SUCCESS(f"{day.title}: {len(surgeons)} surgeons, {made} new requests."))
        if timed:
            self.stdout.write(_timed_run(day, organiser))
        if timed and confirm:
            self.stdout.write(_timed_confirm(day, organiser))


def _people(organisation, kind: str, count: int) -> list[User]:
    """Demo people mm-<kind>-001@example.org …, created in bulk with the demo password."""
    emails = [f"mm-{kind}-{n:03d}@example.org" for n in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        User(email=email, display_name=f"{kind.title()} {email[len(kind) + 4 : len(kind) + 7]}", password=password)
        for email in emails
        if email not in existing
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    role = Membership.Role.SURGEON if kind == "surgeon" else Membership.Role.MEMBER
    Membership.objects.bulk_create(
        [Membership(organisation=organisation, person=user, role=role) for user in users], ignore_conflicts=True
    )
    return users


def _surgeon_profiles(rng: random.Random, surgeons: list[User], topics: list[Topic]) -> None:
    profiles, offers, perspectives = [], [], []
    for person in surgeons:
        extra = f", {rng.choice(OTHER_LANGUAGES)}" if rng.random() < 0.2 else ""
        profiles.append(Profile(person=person, languages=f"English{extra}"))
        for topic in rng.sample(topics, rng.randint(2, 4)):
            offers.append(TopicOffer(person=person, topic=topic, confidence=rng.choice((1, 2, 2, 3))))
        code = rng.choice(Perspective.values)
        perspectives.append(
            PersonPerspective(person=person, perspective=code, visibility=rng.choice(Visibility.values))
        )
    Profile.objects.bulk_create(profiles, ignore_conflicts=True)
    TopicOffer.objects.bulk_create(offers, ignore_conflicts=True)
    PersonPerspective.objects.bulk_create(perspectives, ignore_conflicts=True)


def _join_day(rng: random.Random, day: SurgeryDay, surgeons: list[User], organiser: User) -> None:
    """Each new surgeon helps all day, through the same services as the surgeon pages."""
    joined = set(DaySurgeon.objects.filter(day=day).values_list("person_id", flat=True))
    for person in surgeons:
        if person.pk in joined:
            continue
        day_surgeon = surgeon_join(day=day, person=person, by=organiser)
        sessions = rng.randint(5, 10)
        availability_set(
            day_surgeon=day_surgeon, by=organiser, windows=[(day.starts_at, day.ends_at)], max_sessions=sessions
        )


def _requests(rng: random.Random, day: SurgeryDay, learners: list[User], topics: list[Topic]) -> int:
    asked = set(MatchRequest.objects.filter(day=day).values_list("learner_id", flat=True))
    hours = int((day.ends_at - day.starts_at).total_seconds() // 3600)
    made = 0
    for learner in learners:
        if learner.pk in asked:
            continue
        first = rng.randrange(hours)
        last = min(first + rng.randint(1, 3), hours)
        window = (day.starts_at + timedelta(hours=first), min(day.starts_at + timedelta(hours=last), day.ends_at))
        preferences = []
        if rng.random() < 0.2:
            preferences.append(("perspective", rng.choice(Perspective.values), rng.choice(("wish", "wish", "must"))))
        details = RequestDetails(
            topics={topic.pk: rng.randint(1, 3) for topic in rng.sample(topics, rng.randint(1, 3))},
            preferences=preferences,
            languages="English",
            windows=[window] if rng.random() < 0.7 else [],
        )
        match_request_save(day=day, learner=learner, details=details)
        made += 1
    return made


def _timed_run(day: SurgeryDay, organiser: User) -> str:
    """Load and solve (matchmaking_run), then read and render the proposal page, timed."""
    started = time.perf_counter()
    result = matchmaking_run(day=day, by=organiser)
    solved = time.perf_counter()
    request = RequestFactory().get("/")
    request.user = organiser
    html = render_to_string("matchmaking/proposal.html", {"day": day, "page": proposal_page(day=day)}, request)
    shown = time.perf_counter()
    return (
        f"requests={result.proposal.request_count} matched={result.proposal.pairs.count()} "
        f"load_and_solve={solved - started:.2f}s show={shown - solved:.2f}s total={shown - started:.2f}s "
        f"page_bytes={len(html)}"
    )


def _timed_confirm(day: SurgeryDay, organiser: User, timeout: float = 600) -> str:
    """Confirm the draft (what the Confirm button does), then wait until every pair is settled.

    With a worker the call returns at once and the wait is the worker's booking time.
    With tasks run in-process this command books the waiting proposal itself, as the
    embedded scheduler (run_scheduler) would.
    """
    proposal = MatchProposal.objects.get(day=day, status=MatchProposal.Status.DRAFT)
    started = time.perf_counter()
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    asked = time.perf_counter()
    while proposal.status != MatchProposal.Status.CONFIRMED and time.perf_counter() - started < timeout:
        proposal_confirmations_book_waiting()
        time.sleep(0.2)
        proposal.refresh_from_db()
    done = time.perf_counter()
    return (
        f"pairs={proposal.pairs_to_book} booked={proposal.pairs_booked} not_booked={proposal.pairs_not_booked} "
        f"confirm_request={asked - started:.2f}s until_booked={done - started:.2f}s status={proposal.status}"
    )
