"""What organisers write to the people taking part in a day, and their own wording
for the day's standard reminders.

A message is written, previewed with its number of recipients, then sent once: the
outbox gets one row per person (its unique key is message and person), so sending
again adds nothing. The body is personal data of sorts (it may name people or say
what happened at the desk): the after-day purge empties it with the day's other
short-lived data, and the record of who sent what to how many stays.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from surgeries.models.days import SurgeryDay


class DayMessage(models.Model):
    class Group(models.TextChoices):
        EVERYONE = (
            "everyone",
            "Everyone taking part: learners, surgeons, workshop facilitators and participants, and waiting lists",
        )
        LEARNERS = "learners", "Learners with a one-to-one session"
        SURGEONS = "surgeons", "Surgeons"
        FACILITATORS = "facilitators", "Workshop facilitators"
        WAITING = "waiting", "People on a waiting list, for a session or a workshop"
        CHECKED_IN = (
            "checked_in",
            "People who came: learners checked in at the desk, workshop participants not marked absent",
        )
        NO_SHOW = "no_show", "People marked as did not come, to a session or a workshop"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="messages")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    group = models.CharField(max_length=20, choices=Group.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    # Essential messages reach people who turned off reminders and other extras.
    is_essential = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    body_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A purged message has no body; a kept one always has one.
            models.CheckConstraint(
                condition=Q(body_purged_at__isnull=False) | ~Q(body=""), name="day_message_has_body_until_purged"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class ReminderWording(models.Model):
    """An organiser's subject line and opening paragraph for one standard reminder on one day.

    Blank fields keep the standard wording. Everything else in the reminder (times,
    place, access, how to cancel) stays as the site writes it.
    """

    class Reminder(models.TextChoices):
        DAY = "surgeries.day_reminder", "Day reminder (to everyone booked)"
        SESSION = "surgeries.session_reminder", "Session reminder (to learners and surgeons)"
        SURGEON = "surgeries.surgeon_reminder", "Surgeon reminder"
        # Sent by workshops; the wording is the day's, so it is kept with the others.
        WORKSHOP = "workshops.reminder", "Workshop reminder (to workshop participants)"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="reminder_wordings")
    kind = models.CharField(max_length=64, choices=Reminder.choices)
    subject = models.CharField(max_length=150, blank=True)
    opening = models.TextField("opening paragraph", max_length=1000, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="reminder_wording_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.day}"
