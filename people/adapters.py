"""Hooks that fit django-allauth to Surgery Day."""

import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from people import services


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Background tasks have no request, so links are built from SITE_URL.
        full_context = {"email": email, "site_name": "Surgery Day", "site_url": settings.SITE_URL}
        full_context.update(context)
        self.render_mail(template_prefix, email, full_context).send()

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        services.email_confirmation_queue(email_address_id=emailconfirmation.email_address.pk, signup=signup)


def axes_username(request, credentials: dict | None) -> str:
    """The login identifier for lockout counting: allauth passes it as "email"."""
    credentials = credentials or {}
    identifier = credentials.get("email") or credentials.get("username")
    if not identifier and request is not None:
        identifier = request.POST.get("login", "")
    return (identifier or "").strip().lower()


def client_ip_address(request) -> str | None:
    """The address a request came from, for lockout counting.

    1. Without BEHIND_TLS_PROXY the connection's own address; a client's
       X-Forwarded-For is ignored, since anyone can write one.
    2. Behind our proxies, each appends the address it received from, so the
       entry TRUSTED_PROXY_COUNT from the right is what the outermost one saw.
       Entries further left came from the client and are never trusted.
    3. A missing, short or malformed header falls back to the connection's address.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_TLS_PROXY:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < settings.TRUSTED_PROXY_COUNT:
        return remote
    candidate = forwarded[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
