"""Reads about surgery days."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from people.models import User
from people.selectors import organisations_organised_by
from surgeries.models import SurgeryDay


def upcoming_published_days(*, now: datetime | None = None) -> QuerySet[SurgeryDay]:
    """Published days that have not ended yet, soonest first."""
    now = now or timezone.now()
    return (
        SurgeryDay.objects.accepting_requests(now).select_related("venue", "organisation").order_by("starts_at", "id")
    )


def days_organised_by(*, user: User) -> QuerySet[SurgeryDay]:
    """Every day, in any state, of the organisations this person organises."""
    return (
        SurgeryDay.objects.filter(organisation__in=organisations_organised_by(user=user))
        .select_related("venue", "organisation")
        .order_by("-starts_at", "id")
    )
