from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


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


# The outbox lives in its own subpackage; importing it here registers its models with this app.
from people.notifications.models import Notification, NotificationPreference  # noqa: E402

__all__ = [
    "Membership",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationBlock",
    "Topic",
    "User",
    "UserManager",
]
