"""A big matchmaking proposal written straight to the database, for the benchmark and
the tests that check the confirm and the proposal page at the size of a big day.

Rows are made with `bulk_create` (seconds for thousands of pairs, where the services
would take minutes): surgeons with back-to-back half-hour slots from the start of the
day, one learner with an open request per pair, a draft proposal pairing learner *i*
with slot *i*, and learners left unmatched. Nothing here is used by the site itself.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from django.contrib.auth.hashers import make_password
from django.db import transaction

from matchmaking.models import MatchProposal, MatchRequest, ProposedPair, RequestTopic
from people.models import Membership, Topic, User
from surgeries.models import DaySurgeon, Slot, SurgeryDay

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
    return proposal
