"""Keep workshops in step with their surgery day without the surgeries app knowing about them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from surgeries.models import SurgeryDay
from workshops.models import Workshop
from workshops.notifications import workshop_moved_notify
from workshops.services.planning import workshops_cancel_for_day


@receiver(post_save, sender=SurgeryDay, dispatch_uid="workshops_cancel_with_day")
def cancel_workshops_with_day(sender, instance: SurgeryDay, **kwargs) -> None:
    # Runs inside the day's own transaction, so a rolled-back cancellation keeps every place.
    if instance.status == SurgeryDay.Status.CANCELLED:
        workshops_cancel_for_day(day=instance)


@receiver(post_save, sender=SurgeryDay, dispatch_uid="workshops_reminders_follow_day")
def move_workshop_reminders_with_day(sender, instance: SurgeryDay, created: bool, update_fields=None, **kwargs) -> None:
    # An organiser may change the day's reminder offsets; workshop reminders follow,
    # as session reminders do. Saves that name other fields (status, ...) cannot.
    if created or instance.status == SurgeryDay.Status.CANCELLED:
        return
    if update_fields is not None and "reminder_offsets_minutes" not in update_fields:
        return
    for workshop in Workshop.objects.filter(day=instance, status=Workshop.Status.ACTIVE).select_related("day__venue"):
        workshop_moved_notify(workshop=workshop)
