import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from people.models import Membership, User
from people.privacy import account_delete
from surgeries.models import Booking
from surgeries.selectors import relationships_for
from tests.factories import (
    DaySurgeonFactory,
    MembershipFactory,
    OrganisationFactory,
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


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


def _outsider(kind: str, learner) -> str:
    """An address whose account the desk may not use: the desk must not be able to tell it from a new one."""
    if kind == "member elsewhere":
        outsider = UserFactory(display_name="Quinn Elsewhere")
        MembershipFactory(organisation=OrganisationFactory(), person=outsider, role=Membership.Role.MEMBER)
        return outsider.email
    if kind == "no organisation":
        return UserFactory(display_name="Quinn Elsewhere").email
    if kind == "inactive member":
        User.objects.filter(pk=learner.pk).update(is_active=False)
        return learner.email
    account_delete(person=learner)
    learner.refresh_from_db()
    return learner.email


def _desk_sees(client, organiser, slot, *, email: str) -> dict:
    """Everything the walk-in form answers, and the desk page after it, for one address."""
    client.force_login(organiser)
    url = reverse("surgeries:desk_walk_in", args=[slot.day_id])
    data = {"email": email, "display_name": "Quinn", "slot": slot.pk, "consent": "on"}
    queries = []
    # Counted with a wrapper: the test client's request signals reset Django's own query log.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.post(url, data)
    desk = client.get(reverse("surgeries:desk", args=[slot.day_id])).content.decode()
    row = re.search(r'<span class="desk-learner">([^<]*\(walk-in\))</span>', desk)
    return {
        "status": response.status_code,
        "back to the desk": response.headers.get("Location") == reverse("surgeries:desk", args=[slot.day_id]),
        "messages": [str(m) for m in get_messages(response.wsgi_request)],
        "queries": len(queries),
        "desk row": row.group(1) if row else None,
        "booked": Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists(),
    }


@pytest.mark.parametrize("kind", ["member elsewhere", "no organisation", "inactive member", "erased"])
def test_walk_in_with_an_account_the_desk_may_not_use_looks_exactly_like_a_new_address(
    client, organisation, organiser, learner, surgeon, kind
):
    # Two days at the same time, so each needs its own surgeon.
    first, second = (
        SlotFactory(day_surgeon=DaySurgeonFactory(day=SurgeryDayFactory(organisation=organisation), person=person))
        for person in (surgeon, UserFactory())
    )
    outsider_email = _outsider(kind, learner)

    new_address = _desk_sees(client, organiser, first, email="nobody-yet@example.org")
    known_elsewhere = _desk_sees(client, organiser, second, email=outsider_email)

    assert known_elsewhere == new_address
    assert known_elsewhere["messages"] == ["Quinn is booked in as a walk-in."]
    assert known_elsewhere["desk row"] == "Quinn (walk-in)"


def test_walk_in_with_an_account_elsewhere_never_touches_that_account(client, organiser, surgeon, slot):
    outsider = UserFactory(display_name="Quinn Elsewhere")
    MembershipFactory(organisation=OrganisationFactory(), person=outsider, role=Membership.Role.MEMBER)

    walk_in(client, organiser, slot, email=outsider.email.upper(), display_name="Quinn")

    booking = Booking.objects.get(slot=slot)
    assert booking.learner != outsider
    assert (booking.learner.display_name, booking.learner.is_active) == ("Quinn", False)
    assert not booking.learner.has_usable_password()
    assert not Booking.objects.filter(learner=outsider).exists()
    assert not Membership.objects.filter(organisation=slot.day.organisation, person=outsider).exists()
    assert relationships_for(surgeon, [outsider.pk]) == {outsider.pk: set()}
    outsider.refresh_from_db()
    assert outsider.display_name == "Quinn Elsewhere"


def test_walk_in_new_email_creates_an_account_and_books(client, organiser, slot):
    shown = walk_in(client, organiser, slot, email="new.person@example.org", display_name="Wren")

    person = User.objects.get(email="new.person@example.org")
    assert shown == ["Wren is booked in as a walk-in."]
    assert (person.display_name, person.has_usable_password()) == ("Wren", False)
    assert Booking.objects.get(slot=slot).learner == person


def test_walk_in_new_email_again_later_is_booked_under_the_same_account(client, organiser, surgeon, slot):
    later = SlotFactory(
        day_surgeon=slot.day_surgeon, starts_at=slot.ends_at, ends_at=slot.ends_at + (slot.ends_at - slot.starts_at)
    )

    walk_in(client, organiser, slot, email="new.person@example.org", display_name="Wren")
    shown = walk_in(client, organiser, later, email="new.person@example.org", display_name="Wren")

    person = User.objects.get(email="new.person@example.org")
    assert shown[-1] == "Wren is booked in as a walk-in."
    assert list(Booking.objects.filter(slot__in=[slot, later]).values_list("learner", flat=True)) == [person.pk] * 2
    assert User.objects.filter(display_name="Wren").count() == 1
