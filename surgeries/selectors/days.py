"""Reads about surgery days."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from people.models import Membership, User
from surgeries.models import SurgeryDay


def upcoming_published_days(*, now: datetime | None = None) -> QuerySet[SurgeryDay]:
    """Published days that have not ended yet, soonest first."""
    now = now or timezone.now()
    return (
        SurgeryDay.objects.filter(status=SurgeryDay.Status.PUBLISHED, ends_at__gt=now)
        .select_related("venue", "organisation")
        .order_by("starts_at", "id")
    )


def days_organised_by(*, user: User) -> QuerySet[SurgeryDay]:
    """Every day, in any state, of the organisations this person organises."""
    return (
        SurgeryDay.objects.filter(
            organisation__memberships__person=user, organisation__memberships__role=Membership.Role.ORGANISER
        )
        .select_related("venue", "organisation")
        .order_by("-starts_at", "id")
    )


def day_access(*, day: SurgeryDay, user: User) -> str:
    """How this person stands towards a day: "organiser", "member" or "outsider"."""
    if not user.is_authenticated:
        return "outsider"
    roles = set(
        Membership.objects.filter(organisation_id=day.organisation_id, person=user).values_list("role", flat=True)
    )
    if Membership.Role.ORGANISER in roles:
        return "organiser"
    return "member" if roles else "outsider"
