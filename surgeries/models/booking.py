import secrets
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from people.models import Topic
from surgeries.models.days import SurgeryDay
from surgeries.models.surgeons import Slot


class Booking(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    class OnBehalf(models.TextChoices):
        """How an organiser heard from the person they booked for (before the day, not a walk-in)."""

        BY_PHONE = "phone", "By phone"
        IN_PERSON = "in_person", "In person"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_bookings")
    # Copied from the slot so the database itself can refuse a booking with oneself.
    surgeon = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surgeon_bookings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    note = models.TextField("note for your surgeon", blank=True, max_length=1000)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_walk_in = models.BooleanField(default=False)
    # Booked for the person by an organiser (`booked_by`), who recorded here how they
    # asked and when the person agreed to the booking and to us keeping their details.
    on_behalf = models.CharField("booked for them", max_length=20, choices=OnBehalf.choices, blank=True)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Private to organisers, can be cleared, never used to penalise anyone.
    is_no_show = models.BooleanField(default=False)
    # What organisers need to remember about this booking on the day (for example
    # "needs the quiet room"). Only organisers see it; deleted by the retention job.
    organiser_note = models.TextField("organiser note", blank=True, max_length=500)
    # A moved booking is a new row; it keeps the calendar event's UID and counts up
    # its SEQUENCE, so calendar apps move the event instead of adding a second one.
    calendar_uid = models.CharField(max_length=80, blank=True, editable=False)
    calendar_sequence = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(status="active"), name="booking_one_active_per_slot"),
            models.CheckConstraint(condition=~Q(learner=F("surgeon")), name="booking_not_with_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} with {self.surgeon} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def event_uid(self) -> str:
        return self.calendar_uid or f"booking-{self.pk}@surgeryday"


def overlaps_any(intervals: Iterable[tuple[datetime, datetime]], starts_at: datetime, ends_at: datetime) -> bool:
    """The overlap rule of `CommitmentQuerySet.overlapping`, for times already loaded:
    does any (start, end) in `intervals` overlap `starts_at`..`ends_at`? Touching is not
    overlapping."""
    return any(start < ends_at and starts_at < end for start, end in intervals)


class CommitmentQuerySet(models.QuerySet):
    def overlapping(self, person_ids: Iterable[int], starts_at: datetime, ends_at: datetime) -> "CommitmentQuerySet":
        """The active commitments of these people that overlap the time from `starts_at` to `ends_at`.

        "Are these people free" asks whether this is empty. Times that only touch
        (one ends as the other starts) do not overlap, as in the exclusion constraint.
        """
        return self.filter(person_id__in=list(person_ids), is_active=True, starts_at__lt=ends_at, ends_at__gt=starts_at)


class Commitment(models.Model):
    """A person is busy from `starts_at` to `ends_at`.

    Every kind of session (one-to-one booking as learner or surgeon, and later
    workshops) writes here, so "nobody is in two places at once" is one rule on one
    table. On PostgreSQL an exclusion constraint (migration 0003) enforces it; it is
    skipped on SQLite, where the booking services' row locks keep it.
    """

    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        SURGEON = "surgeon", "Surgeon"
        FACILITATOR = "facilitator", "Facilitator"
        PARTICIPANT = "participant", "Workshop participant"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments")
    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="commitments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    role = models.CharField(max_length=20, choices=Role.choices)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="commitments")
    is_active = models.BooleanField(default=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["person", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="commitment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.role}"


class WaitingListEntry(models.Model):
    """Someone who found no free slot on a day. Oldest first gets a freed slot."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        BOOKED = "booked", "Booked"
        LEFT = "left", "Left the list"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="waiting_list")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiting_entries")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    booking = models.OneToOneField(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "person"], condition=Q(status="waiting"), name="waiting_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} waiting for {self.day}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's booking calendar. Replacing the token revokes old links."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.person}"
