"""Workshops, open-space blocks, registrations and workshop waiting lists.

Time is kept in UTC, like everything on a surgery day. Who is busy when lives in
`surgeries.Commitment`; rows here point at their commitments (never the other way
round), so the surgeries app knows nothing about workshops.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from surgeries.models import Commitment, SurgeryDay


def _check_inside_day(*, day: SurgeryDay, starts_at, ends_at) -> dict[str, str]:
    errors = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The end time must be after the start time."
    elif starts_at and ends_at and (starts_at < day.starts_at or ends_at > day.ends_at):
        errors["starts_at"] = "The times must be within the surgery day."
    return errors


class Workshop(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "On"
        CANCELLED = "cancelled", "Cancelled"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(max_length=150)
    description = models.TextField(help_text="What people will do and learn, in plain English.")
    room = models.CharField(max_length=80)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(help_text="The most people who can take part.")
    accessibility_notes = models.TextField(
        blank=True, help_text="For example: step-free room, hearing loop, slides shared in advance."
    )
    online_link = models.URLField("online link", blank=True, help_text="Only if people can also join online.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Counts the moves: calendar files keep their UID and carry this as SEQUENCE,
    # so a calendar app updates the event it already has instead of adding another.
    calendar_sequence = models.PositiveSmallIntegerField(default=0, editable=False)
    # Places used (active places not marked "did not come"), counted just before the
    # retention job deletes those marks; the report reads it from then on.
    attended_snapshot = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "title", "id"]
        indexes = [models.Index(fields=["day", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="workshop_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="workshop_capacity_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def clean(self) -> None:
        if self.day_id:
            errors = _check_inside_day(day=self.day, starts_at=self.starts_at, ends_at=self.ends_at)
            if errors:
                raise ValidationError(errors)


class OpenSpace(models.Model):
    """Time and a room to chat and meet people. Nobody registers for it."""

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="open_spaces")
    title = models.CharField(max_length=150, default="Open space")
    room = models.CharField(max_length=80)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "title", "id"]
        verbose_name = "open-space block"
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="open_space_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.day_id:
            errors = _check_inside_day(day=self.day, starts_at=self.starts_at, ends_at=self.ends_at)
            if errors:
                raise ValidationError(errors)


class WorkshopFacilitator(models.Model):
    """Someone running a workshop. Their commitment keeps them free for it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="facilitators")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitating")
    commitment = models.OneToOneField(Commitment, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["person__display_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="workshop_facilitator_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} runs {self.workshop}"


class Registration(models.Model):
    """A place in a workshop.

    Capacity is kept by the database as well as the service: each active
    registration holds a numbered seat from 1 to the workshop's capacity (copied
    onto the row so a check constraint can see it), and no two active
    registrations share a seat. See docs/booking.md.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Registered"
        CANCELLED = "cancelled", "Cancelled"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    seat_number = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField()
    commitment = models.OneToOneField(Commitment, on_delete=models.PROTECT, related_name="+")
    from_waiting_list = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set by a facilitator or organiser on the register. Private to them, deleted by
    # the retention job, never used to penalise anyone.
    is_no_show = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "seat_number"], condition=Q(status="active"), name="registration_one_per_seat"
            ),
            models.UniqueConstraint(
                fields=["workshop", "person"], condition=Q(status="active"), name="registration_once_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(seat_number__gte=1, seat_number__lte=F("capacity")),
                name="registration_seat_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.workshop} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class WorkshopWaitingEntry(models.Model):
    """Someone waiting for a place in a full workshop. Oldest first gets a freed place."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        REGISTERED = "registered", "Given a place"
        LEFT = "left", "Left the list"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="waiting_list")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_waits")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="waiting_entry"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "workshop waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"], condition=Q(status="waiting"), name="workshop_waiting_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} waiting for {self.workshop}"
