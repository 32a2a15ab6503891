"""Who may open a day's pages: the one place every app's views ask.

Who organises an organisation is people's rule (`people.selectors.organisers_of`:
members with the organiser role whose account is active); this module turns it into
an answer for a page. Everyone else is refused the same way on every page:

- outsiders (and anyone signed out) get 404, so a private page, or a draft day,
  does not give away that it exists;
- members of the organisation without the right role get 403 (the page exists,
  it is not theirs), with an optional sentence saying why.
"""

from collections.abc import Callable
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Exists
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import Membership, Organisation, User
from people.selectors import organisers_of
from surgeries.models import DaySeries, SurgeryDay

ORGANISER, MEMBER, OUTSIDER = "organiser", "member", "outsider"


def standing(*, user: User, organisation: Organisation) -> str:
    """How a person stands towards an organisation: ORGANISER, MEMBER or OUTSIDER (one query)."""
    if not user.is_authenticated:
        return OUTSIDER
    organises = Exists(organisers_of(organisation=organisation).filter(pk=user.pk))
    membership = Membership.objects.filter(organisation=organisation, person=user)
    found = membership.annotate(organises=organises).values_list("organises", flat=True).first()
    if found is None:
        return OUTSIDER
    return ORGANISER if found else MEMBER


def refuse(*, user: User, organisation: Organisation, why: str = "") -> NoReturn:
    """Turn someone away from one of the organisation's pages: 403 for its members, else 404."""
    _refuse(standing(user=user, organisation=organisation), why=why)


def _refuse(access: str, *, why: str = "") -> NoReturn:
    if access == OUTSIDER:
        raise Http404
    raise PermissionDenied(why)


def require_organiser(*, user: User, organisation: Organisation, why: str = "") -> None:
    """The one answer to "may this person organise for this organisation (and so its
    days)?": returns for its organisers and refuses everyone else."""
    access = standing(user=user, organisation=organisation)
    if access != ORGANISER:
        _refuse(access, why=why)


def _day(day_id: int) -> SurgeryDay:
    return get_object_or_404(SurgeryDay.objects.select_related("organisation", "venue"), pk=day_id)


def organiser_day(*, user: User, day_id: int, why: str = "") -> SurgeryDay:
    """The day, for one of its organisers; anyone else is refused."""
    day = _day(day_id)
    require_organiser(user=user, organisation=day.organisation, why=why)
    day.viewer_access = ORGANISER
    return day


def visible_day(*, user: User, day_id: int) -> SurgeryDay:
    """A day anyone may see once published; a draft only for its organisers.

    The viewer's standing is kept on the day (`day.viewer_access`) for the page to
    show organisers' links and for the view to refuse with later.
    """
    day = _day(day_id)
    day.viewer_access = standing(user=user, organisation=day.organisation)
    if _hidden(day, lambda: day.viewer_access):
        raise Http404
    return day


def may_see_day(*, user: User, day: SurgeryDay) -> bool:
    """visible_day's rule for a day already loaded (with a workshop, say); asks who
    the viewer is only for a draft."""
    return not _hidden(day, lambda: standing(user=user, organisation=day.organisation))


def _hidden(day: SurgeryDay, access: Callable[[], str]) -> bool:
    # The one rule: published, finished and cancelled days are public; a draft is
    # shown only to its organisers.
    return day.status == SurgeryDay.Status.DRAFT and access() != ORGANISER


def refuse_viewer(day: SurgeryDay, *, why: str = "") -> NoReturn:
    """Refuse the viewer of a day found with visible_day, by the standing it noted."""
    _refuse(day.viewer_access, why=why)


def organiser_organisation(*, user: User, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    require_organiser(user=user, organisation=organisation)
    return organisation


def organiser_series(*, user: User, series_id: int) -> DaySeries:
    """A series of days, for the organisers of its organisation; anyone else is refused."""
    series = get_object_or_404(
        DaySeries.objects.select_related("organisation", "source_day__venue", "source_day__organisation"),
        pk=series_id,
    )
    require_organiser(user=user, organisation=series.organisation)
    return series
