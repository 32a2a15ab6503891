"""A big matchmaking proposal written straight to the database, for the benchmark and
the tests that check the confirm and the proposal page at the size of a big day.

Rows are made with `bulk_create` (seconds for thousands of pairs, where the services
would take minutes): surgeons with back-to-back half-hour slots from the start of the
day, one learner with an open request per pair, a draft proposal pairing learner *i*
with slot *i*, and learners left unmatched. Nothing here is used by the site itself.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from unittest import mock
from uuid import uuid4

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matchmaking.models import MatchProposal, MatchRequest, ProposedPair, RequestTopic
from matchmaking.proposal_version import bump_proposal_version
from matchmaking.services.confirm import proposal_confirm_pairs, proposal_confirm_start
from outbox.models import Notification
from outbox.tasks import sweep_notifications
from people.models import Membership, Organisation, Topic, User
from surgeries.models import Booking, DaySurgeon, Slot, SurgeryDay, Venue
from surgeries.notifications import BOOKING_CONFIRMED

SLOT_MINUTES = 30
REASON = [{"kind": "topic", "value": "Blogging", "points": 2, "must": False, "visible_to_pair": True}]


def _people(prefix: str, count: int, tag: str, role: str, day: SurgeryDay) -> list[User]:
    unusable = make_password(None)
    people = User.objects.bulk_create(
        User(email=f"{prefix}{n}-{tag}@example.org", display_name=f"{prefix.title()} {n}", password=unusable)
        for n in range(1, count + 1)
    )
    Membership.objects.bulk_create(Membership(organisation_id=day.organisation_id, person=p, role=role) for p in people)
    return people


@transaction.atomic
def big_proposal(
    *, day: SurgeryDay, organiser: User, topic: Topic, pairs: int, unmatched: int = 0, slots_per_surgeon: int = 10
) -> MatchProposal:
    """A draft proposal for `day` with `pairs` pairs and `unmatched` learners left out."""
    tag = uuid4().hex[:8]
    surgeons = _people("surgeon", -(-pairs // slots_per_surgeon), tag, Membership.Role.SURGEON, day)
    day_surgeons = DaySurgeon.objects.bulk_create(
        DaySurgeon(day=day, person=person, max_sessions=slots_per_surgeon) for person in surgeons
    )
    slot_length = timedelta(minutes=SLOT_MINUTES)
    slots = Slot.objects.bulk_create(
        Slot(
            day=day,
            day_surgeon=day_surgeon,
            surgeon_id=day_surgeon.person_id,
            starts_at=day.starts_at + k * slot_length,
            ends_at=day.starts_at + (k + 1) * slot_length,
        )
        for day_surgeon in day_surgeons
        for k in range(slots_per_surgeon)
    )[:pairs]
    learners = _people("learner", pairs + unmatched, tag, Membership.Role.MEMBER, day)
    requests = MatchRequest.objects.bulk_create(MatchRequest(day=day, learner=learner) for learner in learners)
    RequestTopic.objects.bulk_create(RequestTopic(request=request, topic=topic, priority=2) for request in requests)
    proposal = MatchProposal.objects.create(
        day=day,
        created_by=organiser,
        request_count=len(requests),
        unmatched=[
            {"request": request.pk, "code": "taken", "text": "all 3 slots that suited you went to other learners"}
            for request in requests[pairs:]
        ],
    )
    ProposedPair.objects.bulk_create(
        ProposedPair(proposal=proposal, request=request, slot=slot, fit=2, reasons=REASON)
        for request, slot in zip(requests, slots, strict=False)
    )
    bump_proposal_version(day.pk)  # bulk_create sends no signal
    return proposal


def _bench_day() -> tuple[SurgeryDay, User, Topic]:
    tag = uuid4().hex[:8]
    organisation = Organisation.objects.create(name=f"Benchmark network {tag}", slug=f"bench-{tag}")
    venue = Venue.objects.create(organisation=organisation, name="Town hall", address="1 High Street")
    starts_at = (timezone.now() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    day = SurgeryDay.objects.create(
        organisation=organisation,
        venue=venue,
        title="Big surgery day",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        status=SurgeryDay.Status.PUBLISHED,
    )
    organiser = User.objects.create(email=f"organiser-{tag}@example.org", display_name="Organiser")
    Membership.objects.create(organisation=organisation, person=organiser, role=Membership.Role.ORGANISER)
    return day, organiser, Topic.objects.create(organisation=organisation, name="Blogging")


def time_confirm(*, pairs: int) -> dict:
    """Confirm a big proposal as the organiser does and time booking it.

    The timed part is the booking job: every pair booked with the hand-booking rules and
    its messages written to the outbox. Sending them is the outbox sweep's work, done
    apart (with a broker, on its own queue): the early sweep each batch asks for is
    not run here. Then checks that each pair was booked once and each learner told once.
    """
    day, organiser, topic = _bench_day()
    proposal = big_proposal(day=day, organiser=organiser, topic=topic, pairs=pairs)
    with mock.patch.object(sweep_notifications, "delay"), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
        confirmed = proposal_confirm_pairs(proposal_id=proposal.pk)
        seconds = time.perf_counter() - started
    learners = Counter(Booking.objects.filter(day=day, status="active").values_list("learner_id", flat=True))
    told = Counter(Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True))
    return {
        "confirm_pairs": pairs,
        "booked": confirmed.pairs_booked,
        "not_booked": confirmed.pairs_not_booked,
        "booked_once": set(learners.values()) == {1} and told == learners,
        "outbox_rows": Notification.objects.count(),
        "queries": len(queries),
        "seconds": round(seconds, 3),
    }
