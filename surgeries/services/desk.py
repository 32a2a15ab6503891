"""The on-the-day desk: walk-ins booked on someone's behalf, and organisers' notes on bookings."""

from django.db import transaction

from people.models import Membership, User
from people.selectors import is_organiser
from surgeries import errors
from surgeries.models import Booking, SurgeryDay
from surgeries.services.booking import booking_create, refuse_after_retention

WALK_IN_REFUSED = (
    "We could not add this person at the desk. Ask them to sign in and book, or use a different email address."
)


def _may_book_at_desk(*, person: User, day: SurgeryDay) -> bool:
    if not person.is_active:
        return False
    return Membership.objects.filter(organisation=day.organisation, person=person).exists()


@transaction.atomic
def walk_in_book(*, day: SurgeryDay, by: User, email: str, display_name: str, slot_id: int, consent: bool) -> Booking:
    """Book a session for someone at the desk, making them an account if they have none.

    The new account has no password: the person can claim it later with
    "forgotten password". Consent to keep their name and email is required.

    An existing account is used only if it is active and belongs to the day's
    organisation. Anyone else's account is refused with one message whatever the
    reason, so the desk cannot be used to find out whether an address has an
    account elsewhere, nor to pair a stranger's account with a surgeon here.
    """
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    if not consent:
        raise errors.BookingError("Please ask the person and confirm they agree before booking.")
    person = User.objects.filter(email__iexact=email).first()
    if person is not None and not _may_book_at_desk(person=person, day=day):
        raise errors.BookingError(WALK_IN_REFUSED)
    if person is None:
        if not display_name.strip():
            raise errors.BookingError("This is a new person: please give a name.")
        person = User(email=User.objects.normalize_email(email), display_name=display_name.strip())
        person.set_unusable_password()
        person.full_clean()
        person.save()
    if not day.slots.filter(pk=slot_id).exists():
        raise errors.BookingError("Please choose a session on this day.")
    return booking_create(slot_id=slot_id, learner=person, booked_by=by, is_walk_in=True, at_desk=True)


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
