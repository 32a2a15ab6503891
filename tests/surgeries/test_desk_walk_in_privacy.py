import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from people.models import Membership, User
from people.services import account_delete
from surgeries.models import Booking
from surgeries.selectors import relationships_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "We could not add this person at the desk. Ask them to sign in and book, or use a different email address."


def walk_in(client, organiser, slot, *, email: str, display_name: str = "") -> list[str]:
    """Post the desk's walk-in form and return the messages the organiser is shown."""
    client.force_login(organiser)
    response = client.post(
        reverse("surgeries:desk_walk_in", args=[slot.day_id]),
        {"email": email, "display_name": display_name, "slot": slot.pk, "consent": "on"},
    )
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("known", [True, False])
def test_walk_in_without_a_name_is_asked_for_one_whether_or_not_the_address_is_known(
    client, organiser, learner, slot, known
):
    client.force_login(organiser)
    email = learner.email if known else "nobody-yet@example.org"

    response = client.post(
        reverse("surgeries:desk_walk_in", args=[slot.day_id]),
        {"email": email, "display_name": "", "slot": slot.pk, "consent": "on"},
    )

    assert "Please give the name they would like to be called." in response.content.decode()
    assert not Booking.objects.filter(slot=slot).exists()


def test_walk_in_member_of_the_organisation_is_booked(client, organiser, learner, slot):
    shown = walk_in(client, organiser, slot, email=learner.email.upper(), display_name="Lee")

    assert Booking.objects.get(slot=slot).learner == learner
    assert shown == ["Lee is booked in as a walk-in."]


def test_walk_in_member_uses_the_name_typed_not_the_account_name(client, organiser, learner, slot):
    shown = walk_in(client, organiser, slot, email=learner.email, display_name="Lee")

    assert shown == ["Lee is booked in as a walk-in."]


def test_walk_in_member_of_another_organisation_is_refused_neutrally(client, organiser, surgeon, slot):
    outsider = UserFactory(display_name="Quinn Elsewhere")
    MembershipFactory(organisation=OrganisationFactory(), person=outsider, role=Membership.Role.MEMBER)

    shown = walk_in(client, organiser, slot, email=outsider.email, display_name="Quinn")

    assert shown == [REFUSED]
    assert Booking.objects.filter(slot=slot).count() == 0
    assert relationships_for(surgeon, [outsider.pk]) == {outsider.pk: set()}


def test_walk_in_account_with_no_organisation_is_refused_neutrally(client, organiser, stranger, slot):
    shown = walk_in(client, organiser, slot, email=stranger.email, display_name="Someone")

    assert shown == [REFUSED]
    assert Booking.objects.filter(slot=slot).count() == 0


def test_walk_in_inactive_member_is_refused_neutrally(client, organiser, learner, slot):
    User.objects.filter(pk=learner.pk).update(is_active=False)

    shown = walk_in(client, organiser, slot, email=learner.email, display_name="Lee")

    assert shown == [REFUSED]
    assert Booking.objects.filter(slot=slot).count() == 0


def test_walk_in_erased_account_is_refused_neutrally(client, organiser, learner, slot):
    account_delete(person=learner)
    learner.refresh_from_db()

    shown = walk_in(client, organiser, slot, email=learner.email, display_name="Lee")

    assert shown == [REFUSED]
    assert Booking.objects.filter(slot=slot).count() == 0


def test_walk_in_new_email_creates_an_account_and_books(client, organiser, slot):
    shown = walk_in(client, organiser, slot, email="new.person@example.org", display_name="Wren")

    person = User.objects.get(email="new.person@example.org")
    assert shown == ["Wren is booked in as a walk-in."]
    assert (person.display_name, person.has_usable_password()) == ("Wren", False)
    assert Booking.objects.get(slot=slot).learner == person
