import pytest

from demo.bench.seed import Size, seed_big_day
from matchmaking.models import MatchRequest
from surgeries.models import Booking, Slot
from workshops.models import Registration


@pytest.mark.django_db
def test_seed_big_day_small_size_has_surgeons_free_slots_and_pairs():
    big = seed_big_day(size=Size(surgeons=12, requests=40, contenders=5))

    slots = Slot.objects.filter(day_id=big.day_id)
    booked = Booking.objects.filter(day_id=big.day_id, status=Booking.Status.ACTIVE)
    assert slots.values("surgeon").distinct().count() == 12
    assert (slots.count(), booked.count()) == (84, 12)
    assert MatchRequest.objects.filter(day_id=big.day_id).count() == 40
    assert big.pairs > 30
    assert not booked.filter(slot_id__in=[big.form_slot_id, big.contested_slot_id]).exists()
    assert Registration.objects.filter(workshop_id=big.contested_workshop_id).count() == 0
    assert len(big.contender_ids) == 5
