import zoneinfo
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from people.models import Organisation

DEFAULT_REMINDER_OFFSETS_MINUTES = [24 * 60, 2 * 60]
# How long before an online session its video link shows to the booked pair.
DEFAULT_LINK_SHOWN_MINUTES_BEFORE = 60


def validate_video_link(value: str) -> None:
    """A video link opens a call with someone: only a secure (https) web address will do."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValidationError("The video link must be a secure web address starting with https://")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone. Use a name such as Europe/London.")


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS_MINUTES)


def validate_reminder_offsets(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, int) and 0 < item <= 14 * 24 * 60 for item in value):
        raise ValidationError("Reminders must be a list of minutes before the session, up to two weeks.")


class Venue(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=120)
    # A place used only for online days needs no address: it gives their time zone.
    address = models.TextField(blank=True, help_text="Leave empty for a venue used only for online days.")
    access_information = models.TextField(
        blank=True,
        help_text="Step-free access, toilets, quiet room, parking, public transport.",
    )
    time_zone = models.CharField(max_length=64, default="Europe/London", validators=[validate_time_zone])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SurgeryDayQuerySet(models.QuerySet):
    def accepting_requests(self, now: datetime) -> "SurgeryDayQuerySet":
        """The days for which `SurgeryDay.accepts_requests(now)` holds, as a query."""
        return self.filter(status=SurgeryDay.Status.PUBLISHED, ends_at__gt=now)


class SurgeryDay(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        FINISHED = "finished", "Finished"

    # Days that took place: counted in reports, asked about afterwards.
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid: some surgeons online, some in person"

    HELD_STATUSES = (Status.PUBLISHED, Status.FINISHED)
    # Days whose plan can no longer change: no new surgeons, workshops or details.
    CLOSED_STATUSES = (Status.CANCELLED, Status.FINISHED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surgery_days")
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="surgery_days")
    mode = models.CharField("how people meet", max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    # Private: shown only to a booked pair and the organisers, from
    # `link_shown_minutes_before` the session (see surgeries/selectors/video.py).
    # On a hybrid day it is the link of the online surgeons who have none of their own.
    online_link = models.URLField("video link", blank=True, validators=[validate_video_link])
    link_shown_minutes_before = models.PositiveSmallIntegerField(
        "show the video link (minutes before)",
        default=DEFAULT_LINK_SHOWN_MINUTES_BEFORE,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text="The booked pair see the video link from this many minutes before their session.",
    )
    # Stored in UTC; shown in the venue's time zone.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    slot_minutes = models.PositiveSmallIntegerField(
        "slot length (minutes)", default=30, help_text="How long each one-to-one session lasts."
    )
    # Empty means "as soon as the day is published" and "until the day starts".
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        default=2, help_text="People can cancel or change a booking until this many hours before it starts."
    )
    safeguarding_contact = models.CharField(
        max_length=200, blank=True, help_text="Who to speak to on the day if someone is worried about safety."
    )
    # Fair shares: empty means no limit. The desk may book beyond it on someone's behalf.
    max_sessions_per_learner = models.PositiveSmallIntegerField(
        "sessions per learner",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="The most one-to-one sessions one learner may book on this day. Leave empty for no limit.",
    )
    surgeons_may_opt_in = models.BooleanField(
        default=False, help_text="Let members offer themselves as surgeons without an invitation."
    )
    # Minutes before each session; the notifications app reads these.
    reminder_offsets_minutes = models.JSONField(
        default=default_reminder_offsets, validators=[validate_reminder_offsets]
    )
    # A day made by a series, and the date of the series' rule it stands for (the
    # day itself may have been moved to another date).
    series = models.ForeignKey(
        "surgeries.DaySeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="days"
    )
    series_date = models.DateField(null=True, blank=True, editable=False)

    objects = SurgeryDayQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="surgery_day_ends_after_start"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="surgery_day_slot_at_least_5_minutes"),
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=Q(series__isnull=False),
                name="surgery_day_one_per_series_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_zone(self) -> str:
        return self.venue.time_zone

    def is_closed(self) -> bool:
        """Cancelled or finished: its plan (surgeons, workshops, details) cannot change."""
        return self.status in self.CLOSED_STATUSES

    def is_over(self, now: datetime) -> bool:
        """Finished, or ended already though the hourly job has not marked it so yet."""
        return self.status == self.Status.FINISHED or self.ends_at <= now

    def accepts_requests(self, now: datetime) -> bool:
        """Learners may ask to be matched: the day is published and has not ended.

        Drafts are not public yet, a cancelled day will not happen, and once the day
        has ended no match could be booked (whether or not the hourly job has marked
        it finished). `SurgeryDay.objects.accepting_requests(now)` is the same rule as
        a query: change both together.
        """
        return self.status == self.Status.PUBLISHED and self.ends_at > now

    def takes_bookings(self, now: datetime) -> bool:
        """The day side of "can this be booked now": published, and inside the booking
        window if the organiser set one. Whether the slot or workshop itself has
        started is the caller's to check.
        """
        if self.status != self.Status.PUBLISHED or self.opens_for_booking_later(now):
            return False
        return not (self.booking_closes_at and now >= self.booking_closes_at)

    def sessions_online(self, *, surgeon_online: bool, mode: str | None = None) -> bool:
        """Whether a surgeon's sessions are online: all on an online day, the surgeon's
        choice on a hybrid one. `mode`: as they would be if the day's mode were that."""
        mode = mode or self.mode
        return mode == self.Mode.ONLINE or (mode == self.Mode.HYBRID and surgeon_online)

    def video_link_shown_from(self, starts_at: datetime) -> datetime:
        """When a session's video link starts to show: elapsed minutes, so right across a clock change."""
        return starts_at - timedelta(minutes=self.link_shown_minutes_before)

    def next_clock_change(self, now: datetime) -> datetime | None:
        """The next moment after `now` when `is_over`, `takes_bookings` or
        `opens_for_booking_later` change by the clock alone (booking opens or closes,
        the day ends), or None: until then, a page about the day kept now stays true."""
        moments = (self.booking_opens_at, self.booking_closes_at, self.ends_at)
        return min((moment for moment in moments if moment and moment > now), default=None)

    def learner_limit_reached(self, held: int) -> bool:
        """Fair shares: a learner already holding `held` of the day's sessions may book no more."""
        return self.max_sessions_per_learner is not None and held >= self.max_sessions_per_learner

    def opens_for_booking_later(self, now: datetime) -> bool:
        """Published, but the organiser's booking window has not opened yet: pages say when it will."""
        return self.status == self.Status.PUBLISHED and bool(self.booking_opens_at and now < self.booking_opens_at)

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The day must end after it starts."
        if self.booking_opens_at and self.booking_closes_at and self.booking_closes_at <= self.booking_opens_at:
            errors["booking_closes_at"] = "Booking must close after it opens."
        if self.booking_closes_at and self.ends_at and self.booking_closes_at > self.ends_at:
            errors["booking_closes_at"] = "Booking must close before the day ends."
        if self.venue_id and self.organisation_id and self.venue.organisation_id != self.organisation_id:
            errors["venue"] = "Choose one of your organisation's venues."
        elif self.venue_id and self.mode != self.Mode.ONLINE and not self.venue.address.strip():
            errors["venue"] = (
                "This venue has no address, and people need one to come in person. "
                "Choose a venue with an address, or make the day online."
            )
        if self.mode == self.Mode.IN_PERSON and self.online_link:
            errors["online_link"] = (
                "An in-person day has no video link. Make the day online or hybrid, or remove the link."
            )
        if errors:
            raise ValidationError(errors)


class DayBreak(models.Model):
    """A time in the day with no one-to-one sessions (lunch, a group session)."""

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="breaks")
    label = models.CharField(max_length=80, default="Break")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="day_break_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label


class DayAggregate(models.Model):
    """Counts that need data the retention task deletes, taken just before it does.

    Sessions held means active bookings not marked as a no-show; once the no-show
    marks are gone the report reads these numbers instead of working them out.
    """

    day = models.OneToOneField(SurgeryDay, on_delete=models.CASCADE, related_name="aggregate")
    sessions_held = models.PositiveIntegerField(default=0)
    people_helped = models.PositiveIntegerField(default=0)
    purged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Aggregates for {self.day}"
