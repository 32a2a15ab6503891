"""Domain errors. Each carries a plain-English message a view can show as it is.

`SurgeryError` is the base of every domain error, workshops' and matchmaking's
included. A concept that sessions and workshops share (busy, blocked, not allowed)
is one class here, raised by both apps; a message that differs by place is passed
at raise time.
"""


class SurgeryError(Exception):
    default_message = "Sorry, that could not be done."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class BookingError(SurgeryError):
    default_message = "Sorry, that booking could not be made."


class SlotTaken(BookingError):
    default_message = "Sorry, this slot has just been taken. Please choose another time."


class PersonBusy(BookingError):
    default_message = "You already have something booked at this time."


class SurgeonBusy(BookingError):
    default_message = "Sorry, this surgeon is no longer free at this time. Please choose another slot."


class BookingWithOneself(BookingError):
    default_message = "You cannot book a session with yourself."


class BookingClosed(BookingError):
    default_message = "Booking is not open for this day."


class PersonBlocked(BookingError):
    # Deliberately neutral: the person is told to contact the organisers, not why.
    default_message = "Sorry, you cannot book this day. Please contact the organisers."


class SurgeonFull(BookingError):
    default_message = "Sorry, this surgeon has no more sessions free on this day."


class SessionLimitReached(BookingError):
    """The learner already holds as many of the day's one-to-one sessions as the organiser allows."""

    default_message = "You have as many sessions this day as this surgery allows."

    def __init__(self, held: int | None = None, *, message: str | None = None):
        self.held = held
        if held is None or message:
            super().__init__(message)
            return
        sessions = "session" if held == 1 else "sessions"
        super().__init__(f"You have {held} {sessions} this day, the most this surgery allows.")


class TooLateToChange(BookingError):
    default_message = "It is too late to change this booking online. Please contact the organisers."


class NotAllowed(SurgeryError):
    default_message = "You are not allowed to do that."


class AvailabilityConflict(SurgeryError):
    """A change to availability would drop booked sessions; it is refused, never silent."""

    def __init__(self, message: str, bookings=()):
        self.bookings = list(bookings)
        super().__init__(message)


class DayError(SurgeryError):
    default_message = "Sorry, that change to the day could not be made."


class MessageError(SurgeryError):
    default_message = "Sorry, that message could not be sent."


class RecipientsChanged(MessageError):
    """The group changed between the preview and the confirmation: confirm the new number."""

    def __init__(self, count: int):
        self.count = count
        people = "person" if count == 1 else "people"
        super().__init__(f"The group has changed since you checked it: it is now {count} {people}. Please check again.")


class SamePhoneAsMember(BookingError):
    """A new person was given the number of someone already in the organisation.

    Not merged silently: the organiser is asked whether it is the same person.
    """

    def __init__(self, *, member_id: int, member_name: str):
        self.member_id, self.member_name = member_id, member_name
        super().__init__(f"{member_name} already has this phone number. Is this {member_name}?")
