"""Workshop domain errors, each with a plain-English message a view can show as it is."""

from surgeries.errors import SurgeryError


class WorkshopError(SurgeryError):
    default_message = "Sorry, that could not be done for this workshop."


class WorkshopFull(WorkshopError):
    default_message = "This workshop is full — join the waiting list."


class RegistrationClosed(WorkshopError):
    default_message = "Registration is not open for this workshop."


class AlreadyRegistered(WorkshopError):
    default_message = "You already have a place in this workshop."


class PersonBusy(WorkshopError):
    default_message = "You already have something booked at this time."


class FacilitatorBusy(WorkshopError):
    default_message = "A facilitator already has something booked at this time."


class FacilitatorCannotRegister(WorkshopError):
    default_message = "You are running this workshop, so you do not need a place in it."


class PersonBlocked(WorkshopError):
    # Deliberately neutral: the person is told to contact the organisers, not why.
    default_message = "Sorry, you cannot register for this workshop. Please contact the organisers."


class TooLateToCancel(WorkshopError):
    default_message = "It is too late to cancel online. Please contact the organisers."


class PlaceAlreadyCancelled(WorkshopError):
    default_message = "This place has already been cancelled."


class WorkshopStarted(WorkshopError):
    default_message = "This workshop has started, so places in it can no longer be cancelled."


class NotAllowed(WorkshopError):
    default_message = "You are not allowed to do that."
