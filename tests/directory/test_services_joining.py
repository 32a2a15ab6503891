"""Asking to join a network, and organisers' answers: directory/services.py (joining)."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from directory.notifications import JOIN_APPROVED, JOIN_DECLINED, JOIN_REQUESTED
from directory.services import (
    JOIN_NOT_POSSIBLE,
    JoinError,
    join_request_approve,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from outbox.models import Notification
from people.models import JoinRequest, Membership
from people.services import person_block
from tests.mail import mail_to

pytestmark = pytest.mark.django_db


def test_asking_to_join_waits_for_an_organiser_and_tells_them_without_the_message(
    organisation, organiser, stranger, send_due
):
    join_request = join_request_create(person=stranger, organisation=organisation, message="  I run a charity.  ")

    send_due()

    assert (join_request.status, join_request.message) == (JoinRequest.Status.PENDING, "I run a charity.")
    assert not Membership.objects.filter(person=stranger, organisation=organisation).exists()
    (email,) = mail_to(organiser)
    assert email.subject == f"Surgery Day: {stranger.display_name} asks to join {organisation.name}"
    assert "I run a charity." not in email.body
    assert f"/organisations/{organisation.slug}/join-requests/" in email.body


def test_asking_twice_returns_the_waiting_request(organisation, stranger):
    first = join_request_create(person=stranger, organisation=organisation, message="First")

    second = join_request_create(person=stranger, organisation=organisation, message="Second")

    assert second.pk == first.pk
    assert list(JoinRequest.objects.values_list("message", flat=True)) == ["First"]


def test_database_refuses_a_second_waiting_request(organisation, stranger):
    join_request_create(person=stranger, organisation=organisation)

    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(person=stranger, organisation=organisation)


def test_member_cannot_ask_to_join(organisation, learner):
    with pytest.raises(JoinError, match="already a member"):
        join_request_create(person=learner, organisation=organisation)

    assert JoinRequest.objects.count() == 0


def test_blocked_person_cannot_ask_and_is_told_kindly(organisation, organiser, learner):
    person_block(organisation=organisation, person=learner, actor=organiser)
    Membership.objects.filter(person=learner).delete()

    with pytest.raises(JoinError) as error:
        join_request_create(person=learner, organisation=organisation)

    assert str(error.value) == JOIN_NOT_POSSIBLE
    assert "block" not in JOIN_NOT_POSSIBLE.lower()
    assert JoinRequest.objects.count() == 0


def test_too_long_message_is_refused_and_nothing_is_saved(organisation, stranger):
    with pytest.raises(Exception, match="at most 500"):
        join_request_create(person=stranger, organisation=organisation, message="x" * 501)

    assert JoinRequest.objects.count() == 0


def test_withdrawing_ends_the_request_forgets_the_message_and_stops_the_organisers_email(
    organisation, organiser, stranger, send_due
):
    join_request_create(person=stranger, organisation=organisation, message="Hello")

    assert join_request_withdraw(person=stranger, organisation=organisation) is True
    send_due()

    assert list(JoinRequest.objects.values_list("status", "message")) == [(JoinRequest.Status.WITHDRAWN, "")]
    assert mail_to(organiser) == []
    assert join_request_withdraw(person=stranger, organisation=organisation) is False


def test_approving_makes_a_member_and_sends_the_topics_link(organisation, organiser, stranger, send_due):
    join_request = join_request_create(person=stranger, organisation=organisation)
    send_due()
    mail.outbox.clear()

    membership = join_request_approve(organisation=organisation, join_request_id=join_request.pk, by=organiser)
    send_due()

    assert (membership.person, membership.role) == (stranger, Membership.Role.MEMBER)
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == (JoinRequest.Status.APPROVED, organiser)
    (email,) = mail_to(stranger)
    assert email.subject == f"Surgery Day: Welcome to {organisation.name}"
    assert "/my/profile/topics/" in email.body
    assert Notification.objects.filter(kind=JOIN_APPROVED, recipient=stranger).count() == 1


def test_declining_tells_the_person_with_the_reason(organisation, organiser, stranger, send_due):
    join_request = join_request_create(person=stranger, organisation=organisation)

    join_request_decline(
        organisation=organisation, join_request_id=join_request.pk, by=organiser, reason="We only take Leeds people."
    )
    send_due()

    assert not Membership.objects.filter(person=stranger, organisation=organisation).exists()
    (email,) = mail_to(stranger)
    assert "We only take Leeds people." in email.body
    assert Notification.objects.filter(kind=JOIN_DECLINED).count() == 1


def test_an_answered_request_cannot_be_answered_again(organisation, organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation)
    join_request_decline(organisation=organisation, join_request_id=join_request.pk, by=organiser)

    with pytest.raises(JoinError, match="already declined"):
        join_request_approve(organisation=organisation, join_request_id=join_request.pk, by=organiser)

    assert not Membership.objects.filter(person=stranger, organisation=organisation).exists()


def test_a_request_to_another_organisation_cannot_be_answered(organisation, other_organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation)
    other = Membership.objects.get(person=other_organiser).organisation

    with pytest.raises(JoinError, match="no such request"):
        join_request_approve(organisation=other, join_request_id=join_request.pk, by=other_organiser)

    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


def test_a_person_blocked_after_asking_is_not_approved(organisation, organiser, stranger):
    join_request = join_request_create(person=stranger, organisation=organisation)
    person_block(organisation=organisation, person=stranger, actor=organiser)

    with pytest.raises(JoinError, match="blocked"):
        join_request_approve(organisation=organisation, join_request_id=join_request.pk, by=organiser)

    assert not Membership.objects.filter(person=stranger, organisation=organisation).exists()


def test_answering_stops_the_organisers_email_about_the_request(organisation, organiser, stranger, send_due):
    join_request = join_request_create(person=stranger, organisation=organisation)

    join_request_approve(organisation=organisation, join_request_id=join_request.pk, by=organiser)
    send_due()

    assert mail_to(organiser) == []
    assert Notification.objects.get(kind=JOIN_REQUESTED).state == Notification.State.CANCELLED


def test_after_a_no_asking_again_waits_a_week_and_says_from_when(organisation, organiser, stranger, time_machine):
    """Every request emails all the organisers, who cannot turn that off: asking,
    being declined and asking again at once would flood them."""
    time_machine.move_to("2026-12-02 12:00:00+00:00", tick=False)
    first = join_request_create(person=stranger, organisation=organisation)
    join_request_decline(organisation=organisation, join_request_id=first.pk, by=organiser)

    with pytest.raises(JoinError, match=r"answered your request on 2 December\. You can ask again from 9 December\."):
        join_request_create(person=stranger, organisation=organisation)
    time_machine.move_to("2026-12-09 12:01:00+00:00", tick=False)
    again = join_request_create(person=stranger, organisation=organisation)

    assert again.status == JoinRequest.Status.PENDING
    assert JoinRequest.objects.filter(person=stranger).count() == 2


def test_asking_withdrawing_and_asking_again_in_a_loop_is_stopped(organisation, stranger, time_machine):
    time_machine.move_to("2026-12-02 12:00:00+00:00", tick=False)
    join_request_create(person=stranger, organisation=organisation)
    join_request_withdraw(person=stranger, organisation=organisation)

    with pytest.raises(JoinError, match=r"You can ask again tomorrow\."):
        join_request_create(person=stranger, organisation=organisation)

    assert JoinRequest.objects.filter(person=stranger).count() == 1
