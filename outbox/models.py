"""The notification outbox: every message the site must send later is a row here.

The database, not the task queue, is the source of truth. A row is written in the
same transaction as the change that asks for it, so a rolled-back booking leaves no
row behind, and a lost queue message or a dead worker loses nothing: the sweep
finds the row again. The life of a row is described in docs/reminders.md.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=64)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # What the message is about: a booking, a registration, a surgery day...
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # What an organiser looks at to see how sending went (usually the surgery day).
    scope_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    scope_id = models.PositiveBigIntegerField()
    # Tells apart several messages of one kind about one subject ("day-before", "hour-before").
    slot = models.CharField(max_length=32, blank=True)

    due_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A short reason only (an exception class, an SMTP code): never a message body.
    last_error = models.CharField(max_length=200, blank=True)
    # While sending: the claim that owns the row and when that claim lapses.
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Tables keep the names they had when the outbox lived in the people app.
        db_table = "people_notification"
        ordering = ["due_at", "id"]
        constraints = [
            # The same message can never be scheduled twice.
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_type", "subject_id", "slot"],
                name="notification_unique_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(state="sending") | Q(claimed_until__isnull=False, claim_token__isnull=False),
                name="notification_sending_has_claim",
            ),
        ]
        indexes = [
            # The sweep's two questions: which pending rows are due, which claims have lapsed.
            models.Index(fields=["due_at"], condition=Q(state="pending"), name="notification_due_idx"),
            models.Index(fields=["claimed_until"], condition=Q(state="sending"), name="notification_lapsed_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
            models.Index(fields=["scope_type", "scope_id", "state"], name="notification_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} ({self.get_state_display()})"


class NotificationPreference(models.Model):
    """What a person chose to receive. Essential messages (confirmations, cancellations)
    always go; reminders and other non-essential messages can be turned off."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    non_essential_enabled = models.BooleanField(
        default=True,
        help_text="Reminders and other messages you could do without. Confirmations and cancellations always go.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "people_notificationpreference"

    def __str__(self) -> str:
        return f"Notification preference of {self.person_id}"


class SweepHeartbeat(models.Model):
    """When the outbox sweep last finished: one row, rewritten by every sweep.

    Kept in the database rather than in a process so /healthz on any web server sees
    the beat's (or the embedded scheduler's) last sweep.
    """

    ROW_ID = 1

    swept_at = models.DateTimeField()

    class Meta:
        db_table = "people_sweepheartbeat"

    def __str__(self) -> str:
        return f"Last sweep at {self.swept_at:%Y-%m-%d %H:%M:%S}"
