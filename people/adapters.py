"""Hooks that fit django-allauth to Surgery Day."""

from functools import partial

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Background tasks have no request, so links are built from SITE_URL.
        full_context = {"email": email, "site_name": "Surgery Day", "site_url": settings.SITE_URL}
        full_context.update(context)
        self.render_mail(template_prefix, email, full_context).send()

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        from people.tasks import send_email_confirmation

        transaction.on_commit(
            partial(
                send_email_confirmation.delay,
                email_address_id=emailconfirmation.email_address.pk,
                signup=signup,
            )
        )


def axes_username(request, credentials: dict | None) -> str:
    """The login identifier for lockout counting: allauth passes it as "email"."""
    credentials = credentials or {}
    identifier = credentials.get("email") or credentials.get("username")
    if not identifier and request is not None:
        identifier = request.POST.get("login", "")
    return (identifier or "").strip().lower()
