"""What a surgery day leaves behind: feedback, the learner's session notes, and
per-day aggregates kept after personal details are deleted (docs/after-the-day.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from surgeries.models.booking import Booking
from surgeries.models.days import SurgeryDay


class Feedback(models.Model):
    """How useful something was, from one person.

    One table for every kind of feedback so the report reads one place: a learner
    rating a one-to-one session (`booking` set), a surgeon or facilitator on the
    day as a whole (`booking` empty). Ratings of single workshops live in
    `workshops.WorkshopFeedback`, because surgeries never points at workshops.
    """

    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        SURGEON = "surgeon", "Surgeon"
        FACILITATOR = "facilitator", "Facilitator"

    class CommentAudience(models.TextChoices):
        SURGEON = "surgeon", "My surgeon and the organisers"
        ORGANISERS = "organisers", "Only the organisers"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="feedback")
    # Emptied when the author deletes their account: the rating still counts, anonymously.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_given"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback")
    usefulness = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=1000)
    comment_audience = models.CharField(
        max_length=20, choices=CommentAudience.choices, default=CommentAudience.ORGANISERS
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__isnull=True) | Q(usefulness__gte=1, usefulness__lte=5),
                name="feedback_usefulness_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["booking", "author"], condition=Q(booking__isnull=False), name="feedback_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["day", "author", "role"],
                condition=Q(booking__isnull=True),
                name="feedback_once_per_day_and_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} feedback on {self.day}"


class SessionNote(models.Model):
    """Next steps a surgeon writes for a learner. The learner keeps them; organisers do not read them."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="session_note")
    text = models.TextField("next steps", max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Next steps for booking {self.booking_id}"


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
