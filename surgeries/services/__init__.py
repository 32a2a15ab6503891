"""Every write in the surgeries app. Split by subject; import from here."""

from surgeries.services.booking import (
    booking_cancel,
    booking_check_in,
    booking_create,
    booking_mark_no_show,
    booking_reschedule,
    calendar_feed_renew,
)
from surgeries.services.copies import DayCopy, day_copy
from surgeries.services.days import (
    DayDetails,
    day_cancel,
    day_create,
    day_publish,
    day_update,
    days_finish_ended,
    venue_create,
)
from surgeries.services.desk import booking_organiser_note_set, walk_in_book
from surgeries.services.messages import (
    day_message_draft,
    day_message_send,
    day_messages_purge,
    reminder_wording_set,
)
from surgeries.services.on_behalf import BookedFor, Someone, booking_for_someone
from surgeries.services.series import (
    SeriesPlan,
    rule_of,
    series_create,
    series_dates,
    series_drafts_to_refresh,
    series_may_change,
    series_move,
    series_plan,
    series_refresh,
    series_skip,
    series_update,
)
from surgeries.services.surgeons import (
    availability_set,
    slot_starts,
    surgeon_join,
    surgeon_online_set,
    surgeon_topics_set,
)
from surgeries.services.waiting import waiting_list_join, waiting_list_leave, waiting_list_promote
from surgeries.services.withdrawal import surgeon_withdraw

__all__ = [
    "BookedFor",
    "DayCopy",
    "DayDetails",
    "SeriesPlan",
    "Someone",
    "availability_set",
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_for_someone",
    "booking_mark_no_show",
    "booking_organiser_note_set",
    "booking_reschedule",
    "calendar_feed_renew",
    "day_cancel",
    "day_copy",
    "day_create",
    "day_message_draft",
    "day_message_send",
    "day_messages_purge",
    "day_publish",
    "day_update",
    "days_finish_ended",
    "reminder_wording_set",
    "rule_of",
    "series_create",
    "series_dates",
    "series_drafts_to_refresh",
    "series_may_change",
    "series_move",
    "series_plan",
    "series_refresh",
    "series_skip",
    "series_update",
    "slot_starts",
    "surgeon_join",
    "surgeon_online_set",
    "surgeon_topics_set",
    "surgeon_withdraw",
    "venue_create",
    "waiting_list_join",
    "waiting_list_leave",
    "waiting_list_promote",
    "walk_in_book",
]
