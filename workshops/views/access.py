"""Who may see which workshop page. Checked in every view, before anything else.

Whether someone organises the day is decided by `surgeries.access`, as for every
other day page: outside an organisation its private pages do not exist (404); a
member without the right role is told they may not (403).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import User
from surgeries.access import may_see_day, require_organiser
from workshops import selectors
from workshops.models import OpenSpace, Workshop


def organiser_workshop(*, user: User, workshop_id: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("day__organisation", "day__venue"), pk=workshop_id)
    require_organiser(user=user, organisation=workshop.day.organisation)
    return workshop


def organiser_open_space(*, user: User, open_space_id: int) -> OpenSpace:
    block = get_object_or_404(OpenSpace.objects.select_related("day__organisation", "day__venue"), pk=open_space_id)
    require_organiser(user=user, organisation=block.day.organisation)
    return block


def visible_workshop(*, user: User, workshop_id: int) -> Workshop:
    workshop = selectors.workshop_with_places(workshop_id=workshop_id)
    if workshop is None or not may_see_day(user=user, day=workshop.day):
        raise Http404
    return workshop
