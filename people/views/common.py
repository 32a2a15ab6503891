"""Small helpers shared by the people views."""

from django.conf import settings
from django.core.paginator import Paginator

AUDIT_PAGE_SIZE = 50


def audit_page_context(request, entries) -> dict:
    """One page of audit entries, newest first; a page number out of range shows the last page."""
    page_obj = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "audit_retention_days": settings.AUDIT_RETENTION_DAYS}
