"""Small helpers shared by the people views."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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


def add_validation_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields (or at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


AUDIT_PAGE_SIZE = 50


def audit_page_context(request, entries) -> dict:
    """One page of audit entries, newest first; a page number out of range shows the last page."""
    page_obj = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "audit_retention_days": settings.AUDIT_RETENTION_DAYS}
