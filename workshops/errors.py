"""Errors only workshops have, each with a plain-English message a view can show as it is.

Being busy, blocked or not allowed is the same concept for a session and a workshop,
so workshops raise the one class for each from `surgeries.errors` (`PersonBusy`,
`PersonBlocked`, `NotAllowed`) and one `except` catches both. Every error here and
there derives from `surgeries.errors.SurgeryError`, which is what views catch.
"""

from surgeries.errors import SurgeryError

# What a blocked person is told when registering (for sessions it says "book this day").
# Deliberately neutral: the person is told to contact the organisers, not why.
BLOCKED_FROM_WORKSHOP = "Sorry, you cannot register for this workshop. Please contact the organisers."


class WorkshopError(SurgeryError):
    default_message = "Sorry, that could not be done for this workshop."


class WorkshopFull(WorkshopError):
    default_message = "This workshop is full — join the waiting list."


class RegistrationClosed(WorkshopError):
    default_message = "Registration is not open for this workshop."


class AlreadyRegistered(WorkshopError):
    default_message = "You already have a place in this workshop."


class FacilitatorBusy(WorkshopError):
    default_message = "A facilitator already has something booked at this time."


class FacilitatorCannotRegister(WorkshopError):
    default_message = "You are running this workshop, so you do not need a place in it."


class TooLateToCancel(WorkshopError):
    default_message = "It is too late to cancel online. Please contact the organisers."


class PlaceAlreadyCancelled(WorkshopError):
    default_message = "This place has already been cancelled."


class WorkshopStarted(WorkshopError):
    default_message = "This workshop has started, so places in it can no longer be cancelled."
