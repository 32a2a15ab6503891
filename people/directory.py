"""The opt-in network directory: who chose to be listed, what they show, who they stopped.

Imported by `people/models.py` so Django registers these models with the people app.
Nothing here is shown without the person's own choice: a listing exists only once
they create it. Pronouns and languages are off until they turn them on; their
interests are on by default, because finding people by interest is what the
directory is for, and can be turned off.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class DirectoryListing(models.Model):
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="listings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listings")
    intro = models.CharField(
        "a line about you (optional)",
        max_length=280,
        blank=True,
        help_text="Shown to members of this network. Please leave out health details.",
    )
    show_pronouns = models.BooleanField("show my pronouns", default=False)
    show_languages = models.BooleanField("show my languages", default=False)
    show_topics_offered = models.BooleanField("show what I can help with", default=True)
    show_topics_wanted = models.BooleanField("show what I would like to learn", default=True)
    accepts_messages = models.BooleanField(
        "let members send me a message", default=True, help_text="Your email address is never shown."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__display_name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="listing_once_per_network")]

    def __str__(self) -> str:
        return f"{self.person} in the {self.organisation} directory"


class ContactBlock(models.Model):
    """`blocker` takes no more messages from `blocked`, and no longer appears to them."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="contact_block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="contact_block_not_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"


class DirectoryMessage(models.Model):
    """A message relayed by email. Neither address appears in it; replies go through the site."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received")
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(sender=F("recipient")), name="message_not_to_oneself")]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.organisation_id}"
