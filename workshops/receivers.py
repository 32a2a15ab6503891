"""Workshops follow their surgery day. The day's events come from surgeries/signals.py,
sent inside the surgeries service's transaction, so a rolled-back change to the day
leaves every workshop, place and waiting list as it was.

Connected by importing this module in WorkshopsConfig.ready().
"""

from django.dispatch import receiver

from surgeries.day_version import bump_on_change
from surgeries.models import SurgeryDay
from surgeries.signals import day_cancelled, day_copied, day_updated, days_finished, message_group_people
from workshops import selectors
from workshops.models import OpenSpace, Registration, Workshop, WorkshopFacilitator
from workshops.notifications import workshop_moved_notify
from workshops.services.planning import programme_copy_to_day, workshops_cancel_for_day
from workshops.services.registration import waiting_lists_end_for_days


@receiver(day_cancelled, sender=SurgeryDay, dispatch_uid="workshops_cancel_with_day")
def cancel_workshops_with_day(sender, *, day: SurgeryDay, **kwargs) -> None:
    workshops_cancel_for_day(day=day)


@receiver(day_updated, sender=SurgeryDay, dispatch_uid="workshops_reminders_follow_day")
def move_workshop_reminders_with_day(sender, *, day: SurgeryDay, **kwargs) -> None:
    # The organiser may have changed the day's reminder offsets: workshop reminders
    # follow, as session reminders do. Workshops keep their own times.
    for workshop in Workshop.objects.filter(day=day, status=Workshop.Status.ACTIVE).select_related("day__venue"):
        workshop_moved_notify(workshop=workshop)


@receiver(days_finished, sender=SurgeryDay, dispatch_uid="workshops_waiting_lists_end_with_day")
def end_waiting_lists_with_days(sender, *, days, **kwargs) -> None:
    # A finished day's workshops have happened, so nobody waits for a place any more.
    waiting_lists_end_for_days(days)


@receiver(day_copied, sender=SurgeryDay, dispatch_uid="workshops_copied_with_day")
def copy_programme_with_day(sender, *, source: SurgeryDay, day: SurgeryDay, shift, **kwargs) -> list[str]:
    # "Copy this day" and each date of a series bring the day's workshops and open space.
    return programme_copy_to_day(source=source, day=day, shift=shift)


@receiver(message_group_people, sender=SurgeryDay, dispatch_uid="workshops_people_in_message_groups")
def workshop_people_in_message_group(sender, *, day: SurgeryDay, group: str, **kwargs):
    # An organiser writing to who came, who did not, or who waits means workshops too.
    return selectors.message_group_people(day=day, group=group)


def _day_of_workshop(row: Registration | WorkshopFacilitator) -> int | None:
    return Workshop.objects.filter(pk=row.workshop_id).values_list("day_id", flat=True).first()


# The programme shows workshops, their places left and who runs them, and open space:
# a change to any of them gives the day a new version (surgeries/day_version.py).
bump_on_change(Workshop, lambda workshop: workshop.day_id, "workshop")
bump_on_change(OpenSpace, lambda open_space: open_space.day_id, "open_space")
bump_on_change(Registration, _day_of_workshop, "workshop_registration")
bump_on_change(WorkshopFacilitator, _day_of_workshop, "workshop_facilitator")
