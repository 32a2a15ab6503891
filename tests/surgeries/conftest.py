import pytest

from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory


@pytest.fixture
def day(organisation):
    """A published day next week in the personas' organisation."""
    return SurgeryDayFactory(organisation=organisation, title="Spring surgery")


@pytest.fixture
def slot(day, surgeon):
    """The surgeon persona's first free slot on the day."""
    return SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))
