"""What happens to a surgery day, told to the apps above surgeries that keep rows of
their own for a day (workshops: places, waiting lists, reminders).

Surgeries may not import those apps, so it announces each day event here and they
listen; this is the only way day events leave surgeries. The rules:

1. Each signal is sent by one service in `surgeries/services/days.py` (`day_copied`:
   `surgeries/services/copies.py`), explicitly,
   from inside that service's transaction: whatever a receiver writes commits or
   rolls back with the day's own change, and a receiver that raises undoes it.
2. Nothing else sends them. A day changed any other way (the admin, a shell, a data
   fix) tells no other app, just as it sends no notice and cancels no booking: the
   services are how a day changes on the site.
3. Receivers live in `<app>/receivers.py`, connected in the app's `AppConfig.ready()`
   with a `dispatch_uid`. The sender is always `SurgeryDay`; arguments are keywords.

The signals:

`day_cancelled(day)`
    Sent by `day_cancel` as soon as the day is marked cancelled, with the day row
    and all its slots locked and before its bookings are cancelled. A receiver that
    takes locks of its own (workshops) takes them after these.
`day_updated(day)`
    Sent by `day_update` once an organiser's changes to a day are saved and its own
    slots and session reminders have followed. The day's reminder offsets may have
    changed; reminders kept elsewhere follow them.
`day_copied(source, day, shift)`
    Sent by `copy_day_to` (an organiser's "Copy this day", and each date of a
    series) once the new draft `day`, its breaks and its surgeons are saved.
    `shift(moment)` moves a moment of `source` to the same local time on the new
    date. A receiver copies what it keeps for a day and returns a list of short
    sentences saying what it copied, shown to the organiser.
`days_finished(days)`
    Sent by `days_finish_ended` (hourly) with a queryset of every finished day, not
    only those this run finished, so a row that raced the finishing is caught next
    time. A receiver must change nothing when run again.

One more signal asks instead of tells, and is sent by a selector, not a service:

`message_group_people(day, group)`
    Sent by `message_recipients` (`surgeries/selectors/attendees.py`) to learn who
    else belongs to a group an organiser writes to (`DayMessage.Group`): workshop
    participants who came or did not, and workshop waiting lists. A receiver returns
    a query of person ids (`.values("person_id")`) or None; it must not write, and
    its query is used as a subquery, so the recipients stay one query whatever the
    size of the day.
"""

from django.dispatch import Signal

day_cancelled = Signal()
day_copied = Signal()
day_updated = Signal()
days_finished = Signal()
message_group_people = Signal()
