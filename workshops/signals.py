"""Keep workshops in step with their surgery day without the surgeries app knowing about them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from surgeries.models import SurgeryDay
from workshops.services.planning import workshops_cancel_for_day


@receiver(post_save, sender=SurgeryDay, dispatch_uid="workshops_cancel_with_day")
def cancel_workshops_with_day(sender, instance: SurgeryDay, **kwargs) -> None:
    # Runs inside the day's own transaction, so a rolled-back cancellation keeps every place.
    if instance.status == SurgeryDay.Status.CANCELLED:
        workshops_cancel_for_day(day=instance)
