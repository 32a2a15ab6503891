"""Booking a session for someone who asked an organiser, by phone or in person, any time
up to the end of the day. Not a walk-in: it counts towards the day's limit of sessions
per learner like any booking, and the person's consent is recorded on it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from celery import signature
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from people.emails import send_templated_email
from people.models import Organisation, User
from people.phones import normalise_phone
from people.selectors import is_organiser, member_of, member_with_email, member_with_phone
from people.services import (
    has_reachable_email,
    person_create_for_organisation,
    person_phone_set,
    sign_in_link_create,
    sign_in_link_send,
)
from surgeries import errors
from surgeries.models import Booking, SurgeryDay
from surgeries.services.booking import booking_create
from surgeries.services.desk import limit_reached_for_someone
from surgeries.templatetags.venue_time import venue_datetime

# The job that emails the one-time sign-in link (surgeries/tasks.py), queued by name.
SEND_BOOKED_FOR_YOU_TASK = "surgeries.send_booked_for_you"

# How the organiser answered "Is this Sam B?" for a number a member already has.
SAME_PERSON, DIFFERENT_PERSON = "same", "different"


@dataclass(frozen=True)
class Someone:
    """Who the organiser is booking for: a member they picked, or what the person told them."""

    member_id: int | None = None
    display_name: str = ""
    email: str = ""
    phone: str = ""
    # The answer to "Is this Sam B?" and which member it was asked about.
    phone_match: str = ""
    phone_match_id: int | None = None


@dataclass(frozen=True)
class BookedFor:
    booking: Booking
    emailed: bool  # an email about the booking is on its way to the address given


def _person(*, someone: Someone, organisation: Organisation) -> User:
    """The member to book, or a new one. Raises BookingError saying what is missing.

    1. A member picked from the search.
    2. An address an active member has: that account (no second person).
    3. A number a member has, not yet answered: "Is this Sam B?" (SamePhoneAsMember).
    4. Otherwise a new person, who needs a name and an address or a number.
    """
    try:
        phone = normalise_phone(someone.phone)
    except ValidationError as error:
        raise errors.BookingError(error.messages[0]) from error
    if someone.member_id is not None:
        person = member_of(organisation=organisation, person_id=someone.member_id)
        if person is None:
            raise errors.BookingError("Please choose someone from the search results.")
        return _with_phone(person, phone)
    if not someone.email and not phone:
        raise errors.BookingError("Please give an email address or a phone number, so they can be reached.")
    person = member_with_email(organisation=organisation, email=someone.email) if someone.email else None
    if person is not None:
        return _with_phone(person, phone)
    match = member_with_phone(organisation=organisation, phone=phone)
    if match is not None and someone.phone_match_id == match.pk and someone.phone_match == SAME_PERSON:
        return match
    if match is not None and not (someone.phone_match_id == match.pk and someone.phone_match == DIFFERENT_PERSON):
        raise errors.SamePhoneAsMember(member_id=match.pk, member_name=match.display_name)
    if not someone.display_name.strip():
        raise errors.BookingError("This is a new person: please give their name.")
    return person_create_for_organisation(
        organisation=organisation, display_name=someone.display_name.strip(), email=someone.email, phone=phone
    )


def _may_sign_in_by_link(person: User) -> bool:
    """A one-time link that signs in without a password is for people who have none
    (booked by the desk before). An account with a password, or with staff rights, is
    not opened by a link an organiser's action sends."""
    return not (person.has_usable_password() or person.is_staff or person.is_superuser)


def _with_phone(person: User, phone: str) -> User:
    """A number given for a member is the one they want to be called on now."""
    return person_phone_set(person=person, phone=phone) if phone and phone != person.phone else person


def _book(*, day: SurgeryDay, person: User, by: User, slot_id: int, topic_ids: Iterable[int]) -> Booking:
    if not day.slots.filter(pk=slot_id, starts_at__gt=timezone.now()).exists():
        raise errors.BookingError("Please choose a session on this day that has not started.")
    try:
        # at_desk: organisers may book before booking opens; the limit still applies.
        return booking_create(slot_id=slot_id, learner=person, topic_ids=topic_ids, booked_by=by, at_desk=True)
    except errors.SessionLimitReached as error:
        raise limit_reached_for_someone(day, error) from error
    except errors.PersonBusy as error:
        raise errors.PersonBusy("They already have something booked at this time.") from error
    except errors.PersonBlocked as error:
        raise errors.PersonBlocked("This person cannot be booked on this organisation's days.") from error


@transaction.atomic
def booking_for_someone(
    *,
    day: SurgeryDay,
    by: User,
    someone: Someone,
    slot_id: int,
    topic_ids: Iterable[int] = (),
    on_behalf: str,
    consent: bool,
) -> BookedFor:
    """Book a session for someone who asked an organiser, with their consent recorded.

    1. Only an organiser of the day, before the day is over, with the consent box ticked
       and how they asked ("by phone", "in person").
    2. Find or make the person (see _person); a number given is stored on them.
    3. Book as any booking is booked, the day's limit per learner included.
    4. Record who booked, how and when they agreed.
    5. If they have an address: the outbox sends the usual confirmation, and a one-time
       sign-in link says who booked it for them. Without one, nothing is sent.
    All or nothing: a refusal at any step leaves no person, number or booking behind.
    """
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    now = timezone.now()
    if day.is_over(now):
        raise errors.BookingError("This day has finished, so no more sessions can be booked.")
    if not consent:
        raise errors.BookingError("Please ask them and tick to confirm they agree before booking.")
    if on_behalf not in Booking.OnBehalf.values:
        raise errors.BookingError("Please say how they asked: by phone or in person.")
    person = _person(someone=someone, organisation=day.organisation)
    booking = _book(day=day, person=person, by=by, slot_id=slot_id, topic_ids=topic_ids)
    booking.on_behalf, booking.consent_recorded_at = on_behalf, now
    booking.save(update_fields=["on_behalf", "consent_recorded_at"])
    if has_reachable_email(person):
        if not _may_sign_in_by_link(person):
            # The usual confirmation (queued by the booking) reaches them; they sign in as ever.
            return BookedFor(booking=booking, emailed=True)
        link, token = sign_in_link_create(person=person, created_by=by)
        kwargs = {"link_id": link.pk, "token": token, "booking_id": booking.pk}
    elif someone.email:
        # The address has an account elsewhere, so they were booked under a separate record
        # (see person_create_for_organisation). They are still told, at the address given,
        # and the organiser sees the same as for any address.
        kwargs = {"address": someone.email, "booking_id": booking.pk}
    else:
        return BookedFor(booking=booking, emailed=False)
    transaction.on_commit(signature(SEND_BOOKED_FOR_YOU_TASK, kwargs=kwargs).delay)
    return BookedFor(booking=booking, emailed=True)


def booked_for_you_send(*, booking_id: int, link_id: int | None = None, token: str = "", address: str = "") -> bool:
    """Tell someone an organiser booked for them, saying who and which session.

    With a sign-in link: the link, to their account's address (a link used or expired
    sends nothing). With `address` only: the session, to an address whose account lives
    elsewhere, which this booking is not in. A booking cancelled meanwhile sends nothing.
    """
    booking = Booking.objects.select_related("day__venue", "slot", "surgeon", "booked_by").filter(pk=booking_id).first()
    if booking is None or not booking.is_active:
        return False
    day = booking.day
    context = {"day": day, "when": venue_datetime(booking.slot.starts_at, day.venue.time_zone)}
    if link_id is not None:
        return sign_in_link_send(link_id=link_id, token=token, context=context)
    booked_by = booking.booked_by.display_name if booking.booked_by else "An organiser"
    context |= {"booked_by_name": booked_by, "surgeon_name": booking.surgeon.display_name, "venue": day.venue}
    send_templated_email(name="booked_for_you", to=address, context=context)
    return True
