"""Booking for someone who asked an organiser by phone or in person."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from outbox.models import Notification
from people.models import Membership, SignInLink, User
from people.services import NO_EMAIL_DOMAIN
from surgeries import errors
from surgeries.models import Booking
from surgeries.services import Someone, booking_create, booking_for_someone
from surgeries.services.on_behalf import DIFFERENT_PERSON, SAME_PERSON
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, member

pytestmark = pytest.mark.django_db

BY_PHONE = Booking.OnBehalf.BY_PHONE


def _book(day, organiser, slot, someone: Someone, **extra):
    return booking_for_someone(
        day=day, by=organiser, someone=someone, slot_id=slot.pk, on_behalf=BY_PHONE, consent=True, **extra
    )


def test_a_new_person_with_only_a_phone_number_is_booked_and_nothing_is_sent(
    day, organiser, slot, send_due, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booked = _book(day, organiser, slot, Someone(display_name="Pat Phone", phone="07700 900123"))
    send_due()

    person = booked.booking.learner
    assert (person.display_name, person.phone, person.email.endswith(f"@{NO_EMAIL_DOMAIN}")) == (
        "Pat Phone",
        "+447700900123",
        True,
    )
    assert Membership.objects.filter(person=person, organisation=day.organisation).exists()
    assert booked.emailed is False
    assert [m.subject for m in mail.outbox if m.to == [person.email]] == []
    assert not SignInLink.objects.exists()


def test_the_booking_records_who_booked_how_and_when_they_agreed(day, organiser, slot):
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        booked = _book(day, organiser, slot, Someone(display_name="Pat", phone="07700 900123"))

    booking = Booking.objects.get(pk=booked.booking.pk)
    assert (booking.booked_by, booking.on_behalf, booking.consent_recorded_at, booking.is_walk_in) == (
        organiser,
        "phone",
        now,
        False,
    )


def test_a_new_person_with_an_email_gets_the_confirmation_and_a_one_time_link_naming_the_organiser(
    day, organiser, slot, send_due, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booked = _book(day, organiser, slot, Someone(display_name="Ema", email="ema@example.org"))
    send_due()

    subjects = sorted(m.subject for m in mail.outbox if m.to == ["ema@example.org"])
    link_mail = next(m for m in mail.outbox if "booked a session for you" in m.subject)
    assert booked.emailed is True
    assert len(subjects) == 2
    assert "Olu Organiser" in link_mail.subject and "Olu Organiser" in link_mail.body
    assert re.search(r"/sign-in/\S+/", link_mail.body)
    assert Notification.objects.filter(recipient=booked.booking.learner, kind="surgeries.booking_confirmed").exists()


def test_an_email_of_a_member_books_that_member_without_a_second_person(day, organiser, learner, slot):
    people_before = User.objects.count()

    booked = _book(day, organiser, slot, Someone(display_name="Someone Else", email=learner.email.upper()))

    assert booked.booking.learner == learner
    assert User.objects.count() == people_before


def test_a_member_picked_from_the_search_is_booked_and_keeps_the_number_given(day, organiser, learner, slot):
    booked = _book(day, organiser, slot, Someone(member_id=learner.pk, phone="+44 7700 900123"))

    learner.refresh_from_db()
    assert booked.booking.learner == learner
    assert learner.phone == "+447700900123"


def test_a_person_outside_the_organisation_cannot_be_picked(day, organiser, stranger, slot):
    with pytest.raises(errors.BookingError) as refused:
        _book(day, organiser, slot, Someone(member_id=stranger.pk))

    assert refused.value.message == "Please choose someone from the search results."
    assert not Booking.objects.exists()


def test_a_number_a_member_has_is_asked_about_not_merged(day, organiser, slot):
    sam = member(day.organisation, display_name="Sam B", phone="+447700900123")
    people_before = User.objects.count()

    with pytest.raises(errors.SamePhoneAsMember) as asked:
        _book(day, organiser, slot, Someone(display_name="Sam", phone="07700 900123"))

    assert (asked.value.member_id, asked.value.message) == (
        sam.pk,
        "Sam B already has this phone number. Is this Sam B?",
    )
    assert User.objects.count() == people_before
    assert not Booking.objects.exists()


def test_answering_yes_books_the_member_and_no_makes_a_new_person(day, organiser, slot):
    sam = member(day.organisation, display_name="Sam B", phone="+447700900123")
    other_slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=slot.starts_at + timedelta(hours=1))
    same = Someone(display_name="Sam", phone="07700 900123", phone_match=SAME_PERSON, phone_match_id=sam.pk)
    different = Someone(display_name="Sam", phone="07700 900123", phone_match=DIFFERENT_PERSON, phone_match_id=sam.pk)

    first = _book(day, organiser, slot, same)
    second = _book(day, organiser, other_slot, different)

    assert first.booking.learner == sam
    assert second.booking.learner != sam
    assert second.booking.learner.display_name == "Sam"


@pytest.mark.parametrize(
    ("someone", "consent", "message"),
    [
        (Someone(display_name="Pat", phone="not a number"), True, "Please give a phone number we can call"),
        (Someone(display_name="Pat"), True, "Please give an email address or a phone number"),
        (Someone(phone="07700 900123"), True, "This is a new person: please give their name."),
        (Someone(display_name="Pat", phone="07700 900123"), False, "Please ask them and tick"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(day, organiser, slot, someone, consent, message):
    people_before = User.objects.count()

    with pytest.raises(errors.BookingError) as refused:
        booking_for_someone(
            day=day, by=organiser, someone=someone, slot_id=slot.pk, on_behalf=BY_PHONE, consent=consent
        )

    assert refused.value.message.startswith(message)
    assert User.objects.count() == people_before
    assert not Booking.objects.exists()


def test_a_taken_slot_is_refused_and_the_new_person_is_not_kept(day, organiser, learner, slot):
    booking_create(slot_id=slot.pk, learner=learner)
    people_before = User.objects.count()

    with pytest.raises(errors.SlotTaken):
        _book(day, organiser, slot, Someone(display_name="Pat", phone="07700 900123"))

    assert User.objects.count() == people_before
    assert Booking.objects.count() == 1


def test_a_number_given_for_a_member_is_not_kept_when_the_booking_fails(day, organiser, learner, slot):
    booking_create(slot_id=slot.pk, learner=member(day.organisation))

    with pytest.raises(errors.SlotTaken):
        _book(day, organiser, slot, Someone(member_id=learner.pk, phone="07700 900123"))

    learner.refresh_from_db()
    assert learner.phone == ""


def test_the_day_limit_counts_and_cannot_be_passed(day, organiser, learner, slot):
    day.max_sessions_per_learner = 1
    day.save()
    other_slot = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=slot.starts_at + timedelta(hours=1))
    booking_create(slot_id=other_slot.pk, learner=learner)

    with pytest.raises(errors.SessionLimitReached) as refused:
        _book(day, organiser, slot, Someone(member_id=learner.pk))

    assert refused.value.message == "They already have 1 session this day, the most this surgery allows."


def test_booking_before_booking_opens_is_allowed_for_organisers(day, organiser, slot):
    day.booking_opens_at = timezone.now() + timedelta(days=2)
    day.save()

    booked = _book(day, organiser, slot, Someone(display_name="Early", phone="07700 900123"))

    assert booked.booking.is_active


@pytest.mark.parametrize("persona", ["learner", "surgeon", "stranger", "other_organiser"])
def test_only_organisers_of_the_day_may_book_for_someone(request, day, slot, persona):
    with pytest.raises(errors.NotAllowed):
        _book(day, request.getfixturevalue(persona), slot, Someone(display_name="Pat", phone="07700 900123"))

    assert not Booking.objects.exists()


def test_a_finished_day_is_refused(day, organiser, slot):
    with time_machine.travel(day.ends_at + timedelta(minutes=1)), pytest.raises(errors.BookingError) as refused:
        _book(day, organiser, slot, Someone(display_name="Late", phone="07700 900123"))

    assert refused.value.message == "This day has finished, so no more sessions can be booked."


def test_the_phone_number_is_never_logged(day, organiser, slot, send_due, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        _book(day, organiser, slot, Someone(display_name="Pat", phone="07700 900123", email="pat@example.org"))
    send_due()
    with pytest.raises(errors.BookingError):
        _book(day, organiser, slot, Someone(display_name="Pat", phone="07700 900123x"))

    assert not [r for r in caplog.records if "900123" in r.getMessage()]


def test_an_address_with_an_account_elsewhere_is_told_without_pairing_the_account(
    day, organiser, slot, send_due, django_capture_on_commit_callbacks
):
    elsewhere = member(OrganisationFactory(), email="kim@example.org", display_name="Kim Elsewhere")

    with django_capture_on_commit_callbacks(execute=True):
        booked = _book(day, organiser, slot, Someone(display_name="Kim", email="kim@example.org"))
    send_due()

    assert booked.booking.learner != elsewhere
    assert booked.booking.learner.display_name == "Kim"
    assert booked.emailed is True
    assert not SignInLink.objects.exists()
    told = [m for m in mail.outbox if m.to == ["kim@example.org"]]
    assert len(told) == 1
    assert "Olu Organiser booked a session for you" in told[0].subject
    assert "not in that account" in told[0].body


def test_a_member_with_a_password_gets_the_confirmation_but_no_sign_in_link(
    day, organiser, learner, slot, send_due, django_capture_on_commit_callbacks
):
    """A link that signs in without a password would be a new way into an account that
    has one, opened by an organiser's action: they sign in as ever instead."""
    with django_capture_on_commit_callbacks(execute=True):
        booked = _book(day, organiser, slot, Someone(member_id=learner.pk))
    send_due()

    assert booked.emailed is True
    assert not SignInLink.objects.exists()
    assert not any("booked a session for you" in m.subject for m in mail.outbox)
    assert any(m.to == [learner.email] and "Booked:" in m.subject for m in mail.outbox)
