"""Upgrading a database whose days held a video link before online and hybrid days existed."""

import pytest

from surgeries.models import SurgeryDay
from tests.factories import SurgeryDayFactory, VenueFactory
from tests.migrations import migrate_to, migrate_to_latest

BEFORE_LINK_DAYS_MEET_ONLINE = [("surgeries", "0018_bookings_made_for_someone")]


@pytest.mark.django_db(transaction=True)
def test_days_with_a_link_become_hybrid_or_online_and_others_stay_in_person(organisation):
    at_library = SurgeryDayFactory(organisation=organisation)
    nowhere = SurgeryDayFactory(organisation=organisation, venue=VenueFactory(organisation=organisation, address=""))
    plain = SurgeryDayFactory(organisation=organisation)
    migrate_to(BEFORE_LINK_DAYS_MEET_ONLINE)
    # As such days were saved before: in person (the default), with a link.
    SurgeryDay.objects.filter(pk__in=[at_library.pk, nowhere.pk]).update(
        mode="in_person", online_link="https://meet.example.org/surgery"
    )

    migrate_to_latest()

    modes = dict(SurgeryDay.objects.values_list("pk", "mode"))
    assert modes == {at_library.pk: "hybrid", nowhere.pk: "online", plain.pk: "in_person"}
    at_library.refresh_from_db()
    at_library.full_clean()  # and it can be saved again
