"""Who may see which day. Non-members get 404 (they need not know a page exists);
members without the right role get 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import Membership, Organisation
from surgeries import selectors
from surgeries.models import SurgeryDay


def _day(day_id: int) -> SurgeryDay:
    return get_object_or_404(SurgeryDay.objects.select_related("venue", "organisation"), pk=day_id)


def visible_day(request, day_id: int) -> SurgeryDay:
    """A day anyone may see once published; drafts only for its organisers."""
    day = _day(day_id)
    day.viewer_access = selectors.day_access(day=day, user=request.user)
    if day.status == SurgeryDay.Status.DRAFT and day.viewer_access != "organiser":
        raise Http404
    return day


def organiser_day(request, day_id: int) -> SurgeryDay:
    day = _day(day_id)
    access = selectors.day_access(day=day, user=request.user)
    if access == "member":
        raise PermissionDenied
    if access != "organiser":
        raise Http404
    day.viewer_access = access
    return day


def organiser_organisation(request, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    roles = set(
        Membership.objects.filter(organisation=organisation, person=request.user).values_list("role", flat=True)
    )
    if Membership.Role.ORGANISER in roles:
        return organisation
    if roles:
        raise PermissionDenied
    raise Http404
