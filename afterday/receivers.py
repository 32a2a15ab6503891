"""The impact report of a day is kept in the cache under the day's version
(`afterday/selectors/report.py`), so a change to anything it counts gives the day a
new version (`surgeries/day_version.py`): feedback, the counts kept when marks are
deleted, and waiting-list entries (their topics count as asked for). Bookings, their
no-show marks and workshop places bump already.

Changes made with `QuerySet.update()` send no signal; the services that make them
call `bump_day_version` (`afterday/services.py`, `afterday/privacy.py`).

Connected by importing this module in AfterdayConfig.ready().
"""

from afterday.models import Feedback, WorkshopFeedback
from surgeries.day_version import bump_on_change
from surgeries.models import DayAggregate, WaitingListEntry
from workshops.models import Workshop


def _day_of_workshop(row: WorkshopFeedback) -> int | None:
    return Workshop.objects.filter(pk=row.workshop_id).values_list("day_id", flat=True).first()


bump_on_change(Feedback, lambda feedback: feedback.day_id, "feedback")
bump_on_change(WorkshopFeedback, _day_of_workshop, "workshop_feedback")
bump_on_change(DayAggregate, lambda aggregate: aggregate.day_id, "day_aggregate")
bump_on_change(WaitingListEntry, lambda entry: entry.day_id, "waiting_list_entry")
