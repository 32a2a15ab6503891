"""A series of surgery days: one rule ("monthly on the second Saturday", "every two
weeks") that made several days, each a day of its own with its own capacity and
bookings. The rule is kept so the organiser can change it, skip a date or move one;
only the future drafts follow (see `surgeries/services/series.py`).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.models import Organisation

# More dates than this in one series is refused: a year of weekly days is plenty,
# and a rule that runs away should be caught, not create hundreds of drafts.
MAX_SERIES_DATES = 52


class DaySeries(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        WEEKLY = "weekly", "Weekly"

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, "first"
        SECOND = 2, "second"
        THIRD = 3, "third"
        FOURTH = 4, "fourth"
        LAST = -1, "last"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="day_series")
    # Every date is a copy of this day: its venue, times, breaks, surgeons, workshops.
    # Should it ever be deleted the series goes too; the days it made stay.
    source_day = models.ForeignKey("surgeries.SurgeryDay", on_delete=models.CASCADE, related_name="series_made")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(default=1)
    # Monday is 0, as in Python's date.weekday().
    weekday = models.PositiveSmallIntegerField()
    week_of_month = models.SmallIntegerField(choices=WeekOfMonth.choices, null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "day series"
        constraints = [
            models.CheckConstraint(
                condition=(Q(count__isnull=False) & Q(until__isnull=True))
                | (Q(count__isnull=True) & Q(until__isnull=False)),
                name="day_series_ends_by_count_or_date",
            ),
            models.CheckConstraint(condition=Q(interval__gte=1), name="day_series_interval_at_least_one"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="day_series_weekday_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"Series of {self.source_day}"


class SeriesException(models.Model):
    """One date of the rule skipped (`moved_to` empty) or held on another date."""

    series = models.ForeignKey(DaySeries, on_delete=models.CASCADE, related_name="exceptions")
    on = models.DateField(help_text="The date the rule gives.")
    moved_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["series", "on"], name="series_exception_one_per_date")]

    def __str__(self) -> str:
        return f"{self.on}: {'moved to ' + str(self.moved_to) if self.moved_to else 'skipped'}"
