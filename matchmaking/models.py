"""A learner's request to be matched on a day, and the organiser's matchmaking proposals.

See docs/matchmaking.md for how a proposal is computed and confirmed. The tables keep the
names they had when these models belonged to surgeries (`db_table`), so moving them here
renamed nothing in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from people.models import Topic
from surgeries.models import Booking, Slot, SurgeryDay


class MatchRequest(models.Model):
    """What one learner would like from one day: topics, preferences, languages, times."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting to be matched"
        MATCHED = "matched", "Matched"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="match_requests")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_requests")
    languages = models.CharField(max_length=200, blank=True, help_text="For example: English, Urdu.")
    note = models.TextField("note for your surgeon", blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # Set when the organiser confirms: the booking made, and why (machine-readable reason parts).
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "surgeries_matchrequest"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["day", "learner"], name="match_request_once_per_day")]

    def __str__(self) -> str:
        return f"{self.learner} on {self.day}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.OPEN


class RequestTopic(models.Model):
    class Priority(models.IntegerChoices):
        NICE = 1, "Nice to have"
        IMPORTANT = 2, "Important"
        MOST = 3, "Most important"

    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.IMPORTANT)

    class Meta:
        db_table = "surgeries_requesttopic"
        ordering = ["-priority", "topic__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "topic"], name="request_topic_unique"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=3), name="request_topic_priority"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_priority_display()})"


class RequestPreference(models.Model):
    """A wish or a need about the surgeon: a perspective code or a language."""

    class Kind(models.TextChoices):
        PERSPECTIVE = "perspective", "Perspective"
        LANGUAGE = "language", "Language"

    class Strength(models.TextChoices):
        WISH = "wish", "I would like"
        MUST = "must", "I need"

    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="preferences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=80)
    strength = models.CharField(max_length=10, choices=Strength.choices, default=Strength.WISH)

    class Meta:
        db_table = "surgeries_requestpreference"
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["request", "kind", "value"], name="request_preference_unique")]

    def __str__(self) -> str:
        return f"{self.get_strength_display()} {self.value}"


class RequestWindow(models.Model):
    """A time the learner can come. A request with no windows means any time."""

    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        db_table = "surgeries_requestwindow"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="request_window_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} to {self.ends_at:%H:%M} UTC"


class MatchProposal(models.Model):
    """One run of matchmaking for a day. The organiser adjusts a draft, then confirms it.

    Confirming books the pairs in the background: the proposal is `confirming` until
    every pair is booked or found impossible, then `confirmed` with the counts.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMING = "confirming", "Being confirmed"
        CONFIRMED = "confirmed", "Confirmed"

    day = models.ForeignKey(SurgeryDay, on_delete=models.CASCADE, related_name="match_proposals")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When booking finished (every pair booked or found impossible).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the booking job was last queued; with the pairs' settled_at, shows whether it has stalled.
    confirm_queued_at = models.DateTimeField(null=True, blank=True)
    pairs_to_book = models.PositiveIntegerField(default=0)
    pairs_booked = models.PositiveIntegerField(default=0)
    pairs_not_booked = models.PositiveIntegerField(default=0)
    request_count = models.PositiveIntegerField(default=0)
    # Learners left out, with the reason: [{"request": id, "code": "...", "text": "..."}].
    unmatched = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "surgeries_matchproposal"
        ordering = ["-created_at", "-id"]
        constraints = [
            # A day has one proposal being worked on: a draft, or one being booked.
            models.UniqueConstraint(
                fields=["day"], condition=Q(status__in=["draft", "confirming"]), name="match_proposal_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Matchmaking for {self.day} ({self.get_status_display()})"


class ProposedPair(models.Model):
    """A learner's request paired with a slot, with the fit and the reason parts behind it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not booked yet"
        BOOKED = "booked", "Booked"
        NOT_BOOKED = "not_booked", "Could not be booked"

    proposal = models.ForeignKey(MatchProposal, on_delete=models.CASCADE, related_name="pairs")
    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    fit = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    # A locked pair is kept when matchmaking runs again.
    locked = models.BooleanField(default=False)
    # Set once per pair while the proposal is confirmed; a pair still pending is booked by the next run.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    problem = models.CharField("why it could not be booked", max_length=300, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "surgeries_proposedpair"
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "request"], name="proposed_pair_one_per_request"),
            models.UniqueConstraint(fields=["proposal", "slot"], name="proposed_pair_one_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.request} at {self.slot}"
