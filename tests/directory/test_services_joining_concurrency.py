"""A request to join is made once and answered once, even when buttons are pressed at the same moment."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from directory.services import JoinError, join_request_approve, join_request_create, join_request_decline
from outbox.models import Notification
from people.models import JoinRequest, Membership
from tests.factories import OrganisationFactory, UserFactory, member

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL"),
]


def _at_once(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        barrier.wait()
        try:
            outcomes.append(str(call()))
        except JoinError as error:
            outcomes.append(f"refused: {error}")
        except Exception as error:  # anything else is an error page for someone
            outcomes.append(f"crash: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_asking_twice_at_once_makes_one_request():
    organisation = OrganisationFactory()
    newcomer = UserFactory()

    def ask():
        return join_request_create(person=newcomer, organisation=organisation).pk

    outcomes = _at_once(ask, ask)

    assert JoinRequest.objects.count() == 1
    assert outcomes == [str(JoinRequest.objects.get().pk)] * 2


@pytest.mark.django_db(transaction=True)
def test_two_organisers_answering_at_once_answer_once():
    organisation = OrganisationFactory()
    first, second = (member(organisation, role=Membership.Role.ORGANISER) for _ in range(2))
    newcomer = UserFactory()
    join_request = join_request_create(person=newcomer, organisation=organisation)

    outcomes = _at_once(
        lambda: join_request_approve(organisation=organisation, join_request_id=join_request.pk, by=first),
        lambda: join_request_decline(organisation=organisation, join_request_id=join_request.pk, by=second),
    )

    assert sorted(o.split(":")[0] for o in outcomes if o.startswith(("refused", "crash"))) == ["refused"]
    join_request.refresh_from_db()
    answers = Notification.objects.filter(recipient=newcomer).values_list("kind", flat=True)
    assert len(answers) == 1
    assert Membership.objects.filter(person=newcomer).exists() == (join_request.status == JoinRequest.Status.APPROVED)
