"""Every write in the workshops app. Split by subject; import from here."""

from workshops.services.planning import (
    OpenSpaceDetails,
    WorkshopDetails,
    open_space_delete,
    open_space_save,
    workshop_cancel,
    workshop_create,
    workshop_update,
)
from workshops.services.registration import (
    registration_cancel,
    registration_create,
    waiting_list_join,
    waiting_list_leave,
    waiting_list_promote,
)

__all__ = [
    "OpenSpaceDetails",
    "WorkshopDetails",
    "open_space_delete",
    "open_space_save",
    "registration_cancel",
    "registration_create",
    "waiting_list_join",
    "waiting_list_leave",
    "waiting_list_promote",
    "workshop_cancel",
    "workshop_create",
    "workshop_update",
]
