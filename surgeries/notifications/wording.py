"""The organisers' own subject and opening for a day's standard reminders."""

from surgeries.models import ReminderWording, SurgeryDay


def reminder_wording_for(*, day: SurgeryDay, kind: str) -> ReminderWording | None:
    """The wording set for this reminder on this day, or None for the standard one (one query)."""
    if kind not in ReminderWording.Reminder.values:
        return None
    return ReminderWording.objects.filter(day=day, kind=kind).first()
