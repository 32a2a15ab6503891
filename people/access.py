"""Who may act on an organisation's own pages (members, invitations, blocks, the
directory). Day pages ask surgeries.access, which builds on the same memberships."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from people import selectors
from people.models import Membership, Organisation


def organisation_for(request, slug: str, *, organisers_only: bool = True) -> Organisation:
    """The organisation, if the viewer may act on it.

    Someone outside the organisation gets 404, whether or not it exists, so nothing
    leaks; a member who is not an organiser gets 403 for organiser-only pages.
    """
    membership = selectors.membership_of(user=request.user, organisation_slug=slug)
    if membership is None:
        raise Http404("No such organisation.")
    if organisers_only and membership.role != Membership.Role.ORGANISER:
        raise PermissionDenied("Only organisers can do this.")
    return membership.organisation
