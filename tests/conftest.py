from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from config.celery import app as celery_app
from outbox.sweep import send_inline, sweep_due
from people.models import Membership
from tests.factories import (
    DaySurgeonFactory,
    MembershipFactory,
    OrganisationFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
)


def pytest_runtest_setup(item):
    # The marker is the one switch: SQLite has neither row locks nor exclusion constraints.
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs the suite on it; set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Lockout counters and rate limits live in the cache; no test inherits another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a third of a second per person; tests create hundreds of people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_tasks_run_in_process(request):
    """Unit tests run queued tasks at once; tests marked `redis` use a real worker instead."""
    if request.node.get_closest_marker("redis"):
        yield
        return
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Leeds Mental Health Social Media Surgery", slug="leeds")


@pytest.fixture
def organiser(organisation):
    person = UserFactory(display_name="Olu Organiser")
    MembershipFactory(organisation=organisation, person=person, role=Membership.Role.ORGANISER)
    return person


@pytest.fixture
def surgeon(organisation):
    person = UserFactory(display_name="Sam Surgeon")
    MembershipFactory(organisation=organisation, person=person, role=Membership.Role.SURGEON)
    return person


@pytest.fixture
def learner(organisation):
    person = UserFactory(display_name="Lee Learner")
    MembershipFactory(organisation=organisation, person=person, role=Membership.Role.MEMBER)
    return person


@pytest.fixture
def other_organiser(db):
    """An organiser of a different organisation: must never see this one's data."""
    person = UserFactory(display_name="Other Organiser")
    MembershipFactory(person=person, role=Membership.Role.ORGANISER)
    return person


@pytest.fixture
def stranger(db):
    """Signed up, but belongs to no organisation."""
    return UserFactory(display_name="Stranger")


@pytest.fixture
def send_due(django_capture_on_commit_callbacks):
    """Run one outbox sweep at `at` (default: now) and send what it claims in this process."""

    def send(at: datetime | None = None) -> int:
        with time_machine.travel(at or datetime.now(UTC), tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep_due(dispatch=send_inline)

    return send


@pytest.fixture
def day(organisation):
    """A published day next week in the personas' organisation."""
    return SurgeryDayFactory(organisation=organisation, title="Spring surgery")


@pytest.fixture
def slot(day, surgeon):
    """The surgeon persona's first free slot on the day."""
    return SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))
