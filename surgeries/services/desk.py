"""The on-the-day desk: walk-ins booked on someone's behalf, and organisers' notes on bookings."""

import secrets

from django.db import transaction

from people.models import Membership, Organisation, User
from people.selectors import is_organiser
from surgeries import errors
from surgeries.models import Booking, SurgeryDay
from surgeries.services.booking import booking_create, refuse_after_retention

# Separate walk-in records get an address that can never receive mail or match a real one.
WALK_IN_RECORD_DOMAIN = "walk-in.invalid"


def _desk_member(*, email: str, day: SurgeryDay) -> User | None:
    """The active account of the day's organisation with this address, if any: the only kind the desk may use."""
    return User.objects.filter(email__iexact=email, is_active=True, memberships__organisation=day.organisation).first()


def _walk_in_person(*, email: str, display_name: str, organisation: Organisation) -> User:
    """A new person for a walk-in whose address the desk may not use as an existing account.

    An unknown address gets an account they can claim later with "forgotten password".
    An address that already has an account (elsewhere, closed or deactivated) gets a
    separate record with the name given, which cannot log in or receive email, and the
    account itself is left alone. Both take the same steps, so the desk sees the same.
    Either becomes a member of the organisation, so the next walk-in with the same new
    address is booked under the same account, not under a second, unreachable one.
    """
    if User.objects.filter(email__iexact=email).exists():
        address, is_active = f"{secrets.token_hex(12)}@{WALK_IN_RECORD_DOMAIN}", False
    else:
        address, is_active = User.objects.normalize_email(email), True
    person = User(email=address, display_name=display_name, is_active=is_active)
    person.set_unusable_password()
    person.full_clean()
    person.save()
    Membership.objects.create(organisation=organisation, person=person, role=Membership.Role.MEMBER)
    return person


@transaction.atomic
def walk_in_book(*, day: SurgeryDay, by: User, email: str, display_name: str, slot_id: int, consent: bool) -> Booking:
    """Book a session for someone at the desk, making them an account if they have none.

    Consent to keep their name and email is required.

    An existing account is used only if it is active and belongs to the day's
    organisation. Any other address is booked under the name given, the same way
    whether or not it has an account elsewhere (see _walk_in_person), so the desk
    cannot find out whether an address has an account, nor pair a stranger's
    account with a surgeon here.
    """
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    if not consent:
        raise errors.BookingError("Please ask the person and confirm they agree before booking.")
    person = _desk_member(email=email, day=day)
    if person is None:
        if not display_name.strip():
            raise errors.BookingError("This is a new person: please give a name.")
        person = _walk_in_person(email=email, display_name=display_name.strip(), organisation=day.organisation)
    if not day.slots.filter(pk=slot_id).exists():
        raise errors.BookingError("Please choose a session on this day.")
    # The organiser is there with the person, so the day's limit per learner is theirs to waive.
    return booking_create(
        slot_id=slot_id, learner=person, booked_by=by, is_walk_in=True, at_desk=True, beyond_limit=True
    )


@transaction.atomic
def booking_organiser_note_set(*, booking_id: int, by: User, text: str) -> Booking:
    """Write, change or (with empty text) remove the organisers' note on a booking.

    Only organisers of the day's organisation read or write it; the retention job
    deletes it RETENTION_DAYS after the day, and the learner gets it in their export.
    """
    booking = Booking.objects.select_for_update().select_related("day__organisation").filter(pk=booking_id).first()
    if booking is None or not is_organiser(user=by, organisation=booking.day.organisation):
        raise errors.NotAllowed()
    refuse_after_retention(booking.day_id)
    booking.organiser_note = text.strip()
    booking.full_clean(validate_constraints=False, exclude=["slot", "day", "learner", "surgeon"])
    booking.save(update_fields=["organiser_note"])
    return booking
