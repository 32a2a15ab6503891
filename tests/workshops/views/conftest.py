import pytest

from tests.factories import WorkshopFactory


@pytest.fixture
def workshop(day):
    """A small workshop on the `day` fixture, for the attendee and organiser page tests."""
    return WorkshopFactory(day=day, title="Taking better photos on your phone", capacity=2)
