"""The on-the-day desk: walk-ins booked on someone's behalf, and organisers' notes on bookings."""

from django.db import transaction

from people.models import User
from people.selectors import is_organiser, member_with_email
from people.services import person_create_for_organisation
from surgeries import errors
from surgeries.models import Booking, SurgeryDay
from surgeries.services.booking import booking_create, refuse_after_retention


def limit_reached_for_someone(day: SurgeryDay, error: errors.SessionLimitReached) -> errors.SessionLimitReached:
    """The day's limit, said to the organiser booking for someone rather than to the learner."""
    held = error.held if error.held is not None else day.max_sessions_per_learner
    sessions = "session" if held == 1 else "sessions"
    return errors.SessionLimitReached(
        message=f"They already have {held} {sessions} this day, the most this surgery allows."
    )


@transaction.atomic
def walk_in_book(
    *, day: SurgeryDay, by: User, email: str, display_name: str, slot_id: int, consent: bool, beyond_limit: bool = False
) -> Booking:
    """Book a session for someone at the desk, making them an account if they have none.

    Consent to keep their name and email is required. The day's limit of sessions per
    learner applies unless the organiser ticked `beyond_limit`: they are there with the
    person and may waive it, but only on purpose.

    An existing account is used only if it is active and belongs to the day's
    organisation. Any other address is booked under the name given, the same way
    whether or not it has an account elsewhere (see person_create_for_organisation), so the desk
    cannot find out whether an address has an account, nor pair a stranger's
    account with a surgeon here.
    """
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()
    if not consent:
        raise errors.BookingError("Please ask the person and confirm they agree before booking.")
    person = member_with_email(organisation=day.organisation, email=email)
    if person is None:
        if not display_name.strip():
            raise errors.BookingError("This is a new person: please give a name.")
        person = person_create_for_organisation(
            organisation=day.organisation, display_name=display_name.strip(), email=email
        )
    if not day.slots.filter(pk=slot_id).exists():
        raise errors.BookingError("Please choose a session on this day.")
    try:
        return booking_create(
            slot_id=slot_id, learner=person, booked_by=by, is_walk_in=True, at_desk=True, beyond_limit=beyond_limit
        )
    except errors.SessionLimitReached as error:
        raise limit_reached_for_someone(day, error) from error


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
