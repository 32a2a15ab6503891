import pytest

from directory.services import listing_save
from outbox.sweep import send_inline, sweep_due


@pytest.fixture
def listed(organisation, surgeon):
    """The surgeon persona, listed and taking messages."""
    listing_save(person=surgeon, organisation=organisation, intro="Happy to help with Facebook pages.")
    return surgeon


@pytest.fixture
def send_due(django_capture_on_commit_callbacks):
    """Run the outbox sweep; it hands rows over only once its transaction commits."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            sweep_due(dispatch=send_inline)

    return run
