from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from people.models import Topic
from surgeries.models.days import SurgeryDay, validate_video_link


class DaySurgeon(models.Model):
    """A person helping as a surgeon on one day."""

    class JoinedVia(models.TextChoices):
        INVITED = "invited", "Invited by an organiser"
        OPTED_IN = "opted_in", "Offered to help"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="surgeons")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surgeon_days")
    joined_via = models.CharField(max_length=20, choices=JoinedVia.choices, default=JoinedVia.INVITED)
    max_sessions = models.PositiveSmallIntegerField(
        "most sessions", default=6, help_text="The most one-to-one sessions you would like on the day."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", help_text="What you can help with.")
    # Read only on a hybrid day: SurgeryDay.sessions_online says whether the sessions are online.
    is_online = models.BooleanField(
        "sessions online", default=False, help_text="On a hybrid day: these sessions happen by video call."
    )
    # Private like the day's link; when empty, the day's link is used.
    video_link = models.URLField(
        blank=True,
        validators=[validate_video_link],
        help_text="Your own video call link, if you have one. Leave empty to use the day's link.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__display_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "person"], name="day_surgeon_unique_person"),
            models.CheckConstraint(condition=Q(max_sessions__gte=1), name="day_surgeon_at_least_one_session"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.day}"


class AvailabilityWindow(models.Model):
    day_surgeon = models.ForeignKey(DaySurgeon, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="availability_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.day_surgeon.person} free from {self.starts_at:%H:%M} UTC"


class Slot(models.Model):
    """One bookable one-to-one session with one surgeon.

    Slots are generated from availability windows. A slot that is no longer in a
    window is withdrawn rather than deleted, so old bookings keep their history.
    """

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="slots")
    day_surgeon = models.ForeignKey(DaySurgeon, on_delete=models.CASCADE, related_name="slots")
    surgeon = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surgeon_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_offered = models.BooleanField(default=True)

    class Meta:
        ordering = ["starts_at", "surgeon__display_name", "id"]
        indexes = [models.Index(fields=["day", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["day_surgeon", "starts_at"], name="slot_unique_start_per_surgeon"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.surgeon} at {self.starts_at:%Y-%m-%d %H:%M} UTC"


class SurgeonWithdrawal(models.Model):
    """A surgeon said they cannot come to a day, or to one session of it: the organisers' record.

    Counts only, no names of learners: who was moved is on the bookings themselves.
    """

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="withdrawals")
    day_surgeon = models.ForeignKey(DaySurgeon, on_delete=models.CASCADE, related_name="withdrawals")
    # The one session withdrawn, or empty when the surgeon withdrew from the whole day.
    slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    rebooked = models.PositiveSmallIntegerField("learners moved to another session", default=0)
    waiting = models.PositiveSmallIntegerField("learners put on the waiting list", default=0)
    # Neither moved nor waiting: the waiting list refused them (blocked since booking).
    not_placed = models.PositiveSmallIntegerField("learners told their session is off", default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.day_surgeon.person} withdrew from {self.day}"
