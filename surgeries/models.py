import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from people.models import Organisation


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone. Use a name such as Europe/London.")


class Venue(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=120)
    address = models.TextField()
    access_information = models.TextField(
        blank=True,
        help_text="Step-free access, toilets, quiet room, parking, public transport.",
    )
    time_zone = models.CharField(max_length=64, default="Europe/London", validators=[validate_time_zone])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SurgeryDay(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        FINISHED = "finished", "Finished"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surgery_days")
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="surgery_days")
    online_link = models.URLField(blank=True)
    # Stored in UTC; shown in the venue's time zone.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="surgery_day_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_zone(self) -> str:
        return self.venue.time_zone

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The day must end after it starts."})
