from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from people.enums import AccessNeed, Confidence, Perspective, Visibility


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person. Roles come from what a person does on a day."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80,
        help_text="The name other people at a surgery see. A first name is fine.",
    )
    # Only for someone booked by an organiser who gave no email (or both); stored in
    # international form (people/phones.py). Shown only to organisers of days the person
    # is booked on, never logged, exported and erased with the account.
    phone = models.CharField("phone number", max_length=16, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    code_of_conduct_version = models.CharField(max_length=20, blank=True)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name


class Organisation(models.Model):
    """A surgery network, such as a city's mental-health social media surgery."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    safeguarding_contact_name = models.CharField(max_length=120, blank=True)
    safeguarding_contact_email = models.EmailField(blank=True)
    safeguarding_contact_phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", "Organiser"
        SURGEON = "surgeon", "Surgeon"
        FACILITATOR = "facilitator", "Facilitator"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="membership_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.organisation} ({self.get_role_display()})"


class Topic(models.Model):
    """Something people help with or want help with. Each organisation edits its own list."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=240, blank=True)
    is_active = models.BooleanField(default=True, help_text="Retired topics stay on old bookings.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="topic_unique_name_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationBlock(models.Model):
    """A person an organisation has stopped from booking its days."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="blocks")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_blocks")
    blocked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="block_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} blocked from {self.organisation}"


# --- Profiles, skills and privacy -----------------------------------------------


class Profile(models.Model):
    """What a person tells us about themselves. Sensitive parts carry their own visibility."""

    person = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    pronouns = models.CharField(max_length=40, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="For example: English, Urdu, BSL.")
    bio = models.TextField(max_length=1000, blank=True)
    bio_visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.ONLY_ME)
    access_needs = models.JSONField(default=list, blank=True)
    access_needs_other = models.CharField(max_length=500, blank=True)
    access_needs_visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.ONLY_ME)
    contact_by_email = models.BooleanField(default=True)
    contact_notes = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.person}"

    def clean(self) -> None:
        unknown = set(self.access_needs or []) - set(AccessNeed.values)
        if unknown:
            raise ValidationError({"access_needs": "Choose access needs from the list, or describe them in words."})


class PersonPerspective(models.Model):
    """One perspective a person brings, each with its own visibility (special-category data)."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="perspectives")
    perspective = models.CharField(max_length=30, choices=Perspective.choices)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.ONLY_ME)

    class Meta:
        ordering = ["perspective"]
        constraints = [
            models.UniqueConstraint(fields=["person", "perspective"], name="perspective_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.get_perspective_display()


class TopicOffer(models.Model):
    """A topic a person can help with."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="topic_offers")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="offers")
    confidence = models.PositiveSmallIntegerField(choices=Confidence.choices, default=Confidence.BASICS)

    class Meta:
        ordering = ["topic__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "topic"], name="topic_offer_unique"),
            models.CheckConstraint(condition=Q(confidence__gte=1, confidence__lte=3), name="topic_offer_confidence"),
        ]

    def __str__(self) -> str:
        return f"{self.person} helps with {self.topic}"


class TopicWant(models.Model):
    """A topic a person would like help with."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="topic_wants")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="wants")

    class Meta:
        ordering = ["topic__name"]
        constraints = [models.UniqueConstraint(fields=["person", "topic"], name="topic_want_unique")]

    def __str__(self) -> str:
        return f"{self.person} wants help with {self.topic}"


# --- Invitations ------------------------------------------------------------------


class Invitation(models.Model):
    """A one-time, expiring link that makes someone a member of an organisation in a role.

    Only a hash of the token is stored, so a copy of the database cannot be used to join.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation to {self.organisation} as {self.get_role_display()}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()

    @property
    def masked_email(self) -> str:
        """Enough of the invited address for its owner to recognise it, not enough to learn it."""
        local, _, domain = self.email.partition("@")
        return f"{local[:1]}•••@{domain}"


class JoinRequest(models.Model):
    """Someone asking to become a member of an organisation; an organiser approves or declines.

    The message and the reason for a decline are the person's own data: they are in
    their export and go with their account. At most one request per person and
    organisation waits at a time; answered and withdrawn ones stay as a record.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an organiser"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    message = models.CharField(
        "a short message to the organisers (optional)",
        max_length=500,
        blank=True,
        help_text="Say who you are or why you would like to join. Please leave out health details.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decline_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], condition=Q(status="pending"), name="join_request_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} asks to join {self.organisation} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class SignInLink(models.Model):
    """A one-time, expiring link that signs a person in, sent when an organiser books for them.

    Only a hash of the token is stored, like invitations. Used once, then never again.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_links")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Sign-in link {self.pk}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now() and self.person.is_active


# --- Audit log ----------------------------------------------------------------------


class AuditEntry(models.Model):
    """Who viewed or changed someone's special-category data. Field names only, never values."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CHANGED = "changed", "Changed"
        EXPORTED = "exported", "Exported"
        ERASED = "erased", "Erased"

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(max_length=20, choices=Action.choices)
    fields = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    FIELD_LABELS = {
        "perspectives": "perspectives",
        "access_needs": "access needs",
        "bio": "bio",
        "account": "account",
    }

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.subject}"

    @property
    def field_labels(self) -> str:
        return ", ".join(self.FIELD_LABELS.get(name, name) for name in self.fields)


class DatabaseIdentity(models.Model):
    """A random name this database got when it was created, compared by every task.

    A worker configured with another database than the web servers would otherwise
    look up ids that do not exist there and skip them quietly. The publisher puts this
    name on each task message and the worker refuses a message that carries another
    (see config/celery.py).

    The table is created by its migration and left out of Django's management, so
    `flush` (which tests run between transactional tests) keeps the row: the identity
    belongs to the database, not to its data.
    """

    ROW_ID = 1

    identity = models.CharField(max_length=36)

    class Meta:
        managed = False
        db_table = "people_databaseidentity"

    def __str__(self) -> str:
        return self.identity


# --- The network directory ------------------------------------------------------------
# The directory app (directory/) reads and writes these; the tables stay people's, so
# the move needed no migration.
# Nothing is shown without the person's own choice: a listing exists only once they
# create it. Pronouns and languages are off until they turn them on; their interests
# are on by default, because finding people by interest is what the directory is
# for, and can be turned off.


class DirectoryListing(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="listings")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="listings")
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

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
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

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(User, on_delete=models.CASCADE, related_name="messages_sent")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="messages_received")
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(sender=F("recipient")), name="message_not_to_oneself")]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.organisation_id}"


__all__ = [
    "DatabaseIdentity",
    "JoinRequest",
    "Membership",
    "Organisation",
    "OrganisationBlock",
    "SignInLink",
    "Topic",
    "User",
    "UserManager",
]
