"""A day's status in words, shown at the top of every page about the day."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from surgeries.models import SurgeryDay
from surgeries.templatetags.venue_time import venue_date_at_time

register = template.Library()


@dataclass(frozen=True)
class DayStatus:
    label: str
    detail: str
    tone: str  # the Bootstrap badge colour


def status_of(day: SurgeryDay) -> DayStatus:
    """Draft, published (booking open, opening later or closed), cancelled or finished."""
    now = timezone.now()
    if day.status == SurgeryDay.Status.CANCELLED:
        return DayStatus("Cancelled", "This day will not take place.", "danger")
    if day.is_over(now):
        return DayStatus("Finished", "", "secondary")
    if day.status == SurgeryDay.Status.DRAFT:
        return DayStatus("Draft", "Only organisers can see it until it is published.", "warning")
    if day.opens_for_booking_later(now):
        when = venue_date_at_time(day.booking_opens_at, day.time_zone)
        return DayStatus("Published", f"Booking opens on {when}.", "info")
    if day.takes_bookings(now):
        return DayStatus("Published", "Booking is open.", "success")
    return DayStatus("Published", "Booking has closed.", "success")


@register.inclusion_tag("surgeries/_day_status.html")
def day_status(day: SurgeryDay) -> dict:
    return {"status": status_of(day)}
