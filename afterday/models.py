"""What a surgery day leaves behind: feedback on sessions, the day and workshops, and
the learner's session notes (docs/after-the-day.md).

These models were made in surgeries and workshops and keep those apps' table names
(`Meta.db_table`), constraint names and rows; afterday/migrations/0001 moved only
Django's idea of which app owns them. The per-day counts kept after retention
(`surgeries.DayAggregate`) stay in surgeries, whose booking services check them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from surgeries.models import Booking, SurgeryDay
from workshops.models import Registration, Workshop


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
        db_table = "surgeries_feedback"
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

    class Meta:
        db_table = "surgeries_sessionnote"

    def __str__(self) -> str:
        return f"Next steps for booking {self.booking_id}"


class WorkshopFeedback(models.Model):
    """How useful a workshop was, from someone who had a place in it.

    One answer per place; giving it again replaces it. The comment goes to the
    organisers, and to the facilitators too if the participant chooses.
    """

    class CommentAudience(models.TextChoices):
        FACILITATORS = "facilitators", "The facilitators and the organisers"
        ORGANISERS = "organisers", "Only the organisers"

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="feedback")
    # Emptied when the author deletes their account: the rating still counts, anonymously.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshop_feedback"
    )
    usefulness = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=1000)
    comment_audience = models.CharField(
        max_length=20, choices=CommentAudience.choices, default=CommentAudience.ORGANISERS
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "workshops_workshopfeedback"
        ordering = ["created_at", "id"]
        verbose_name_plural = "workshop feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5), name="workshop_feedback_usefulness_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.workshop}"
