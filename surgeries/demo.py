"""Demo venue and surgery days for `manage.py seed_demo`."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from people.models import Organisation
from surgeries.models import SurgeryDay, Venue

DEMO_ZONE = "Europe/London"


def _next_week_at(local_time: time) -> datetime:
    zone = zoneinfo.ZoneInfo(DEMO_ZONE)
    day = timezone.now().astimezone(zone).date() + timedelta(days=7)
    return datetime.combine(day, local_time, tzinfo=zone).astimezone(zoneinfo.ZoneInfo("UTC"))


def seed_surgery_days(*, organisation: Organisation) -> list[SurgeryDay]:
    venue, _ = Venue.objects.update_or_create(
        organisation=organisation,
        name="Central Library, Community Room",
        defaults={
            "address": "Calverley Street\nLeeds LS1 3AB",
            "access_information": "Step-free entrance on Calverley Street. Lift to all floors. "
            "Accessible toilet next to the room. A quiet room is available all day.",
            "time_zone": DEMO_ZONE,
        },
    )
    day = SurgeryDay.objects.filter(organisation=organisation, title="Winter social media surgery").first()
    # Keep the demo day in the future: a day that has passed is rolled on to next week.
    if day is None or day.ends_at <= timezone.now():
        day = day or SurgeryDay(organisation=organisation, title="Winter social media surgery")
        day.venue = venue
        day.description = "One-to-one help, a workshop on wellbeing and boundaries online, and open space."
        day.starts_at = _next_week_at(time(10, 0))
        day.ends_at = _next_week_at(time(15, 0))
        day.status = SurgeryDay.Status.PUBLISHED
        day.full_clean()
        day.save()
    return [day]
