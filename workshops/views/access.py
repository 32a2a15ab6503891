"""Who may see which workshop page. Checked in every view, before anything else.

Outside an organisation its private pages do not exist (404); a member without
the right role is told they may not (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import User
from people.selectors import is_organiser
from surgeries.models import SurgeryDay
from workshops import selectors
from workshops.models import OpenSpace, Workshop


def refuse(*, user: User, day: SurgeryDay) -> None:
    if selectors.is_member(user=user, organisation=day.organisation):
        raise PermissionDenied
    raise Http404


def organiser_day(*, user: User, day_id: int) -> SurgeryDay:
    day = get_object_or_404(SurgeryDay.objects.select_related("organisation", "venue"), pk=day_id)
    if not is_organiser(user=user, organisation=day.organisation):
        refuse(user=user, day=day)
    return day


def organiser_workshop(*, user: User, workshop_id: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("day__organisation", "day__venue"), pk=workshop_id)
    if not is_organiser(user=user, organisation=workshop.day.organisation):
        refuse(user=user, day=workshop.day)
    return workshop


def organiser_open_space(*, user: User, open_space_id: int) -> OpenSpace:
    block = get_object_or_404(OpenSpace.objects.select_related("day__organisation", "day__venue"), pk=open_space_id)
    if not is_organiser(user=user, organisation=block.day.organisation):
        refuse(user=user, day=block.day)
    return block


def visible_day(*, user: User, day_id: int) -> SurgeryDay:
    day = get_object_or_404(SurgeryDay.objects.select_related("organisation", "venue"), pk=day_id)
    if not selectors.day_is_visible(day=day, user=user):
        raise Http404
    return day


def visible_workshop(*, user: User, workshop_id: int) -> Workshop:
    workshop = selectors.workshop_with_places(workshop_id=workshop_id)
    if workshop is None or not selectors.day_is_visible(day=workshop.day, user=user):
        raise Http404
    return workshop
