"""An invitation link is usable once, even when "Accept" is pressed twice at the same moment."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from people import services
from people.models import Invitation, Membership
from tests.factories import InvitationFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_invitation_accept_twice_at_once_joins_exactly_once():
    organisation = OrganisationFactory()
    invitee = UserFactory()
    InvitationFactory(organisation=organisation, email=invitee.email, token="shared-link", role="surgeon")
    # Two tabs (or a double click) of the invited person; nobody else may accept at all.
    people = [invitee, invitee]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(person):
        barrier.wait()
        try:
            services.invitation_accept(token="shared-link", person=person)
            outcomes.append("joined")
        except services.PeopleError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["joined", "refused"]
    assert Membership.objects.filter(organisation=organisation).count() == 1
    assert Invitation.objects.get().accepted_by_id == invitee.pk
