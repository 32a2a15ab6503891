"""Confirming a big proposal (300 pairs) in batches, on PostgreSQL: every pair booked once,
every message written once, and running the job again changes nothing. Timed in
`make bench` (`matchmaking_bench --confirm-pairs`), not here."""

from collections import Counter

import pytest
from django.db import connection

from matchmaking.benchdata import big_proposal
from matchmaking.models import MatchRequest, ProposedPair
from matchmaking.services.confirm import proposal_confirm_pairs
from outbox.models import Notification
from surgeries.models import Booking, Commitment
from surgeries.notifications import BOOKING_CONFIRMED, BOOKING_RECEIVED
from tests.factories import confirm_now, make_day

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL check; set DATABASE_URL"),
]

PAIRS = 300


def test_confirm_books_300_pairs_once_each_with_one_confirmation_and_notice_each(organisation, organiser):
    day, topics = make_day(organisation)
    proposal = big_proposal(day=day, organiser=organiser, topic=topics["Blogging"], pairs=PAIRS)
    proposed = set(proposal.pairs.values_list("request__learner_id", "slot_id"))

    confirmed = confirm_now(day, proposal, organiser)
    again = proposal_confirm_pairs(proposal_id=proposal.pk)

    bookings = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)
    learners = list(bookings.values_list("learner_id", flat=True))
    assert (confirmed.status, confirmed.pairs_booked, confirmed.pairs_not_booked, again) == (
        "confirmed",
        PAIRS,
        0,
        None,
    )
    assert set(bookings.values_list("learner_id", "slot_id")) == proposed
    assert len(learners) == len(set(learners)) == PAIRS
    assert Commitment.objects.filter(day=day, is_active=True).count() == 2 * PAIRS
    assert Counter(proposal.pairs.values_list("outcome", flat=True)) == {ProposedPair.Outcome.BOOKED: PAIRS}
    assert MatchRequest.objects.filter(day=day, status="matched", booking__isnull=False).count() == PAIRS
    told = Counter(Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True))
    assert told == Counter(dict.fromkeys(learners, 1))
    surgeons = bookings.values_list("surgeon_id", flat=True)
    notices = Counter(Notification.objects.filter(kind=BOOKING_RECEIVED).values_list("recipient_id", flat=True))
    assert notices == Counter(surgeons)
    keys = Notification.objects.values_list("kind", "recipient_id", "subject_type_id", "subject_id", "slot")
    assert len(keys) == len(set(keys))
