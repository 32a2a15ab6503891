"""Writes that concern people and their accounts."""

import logging

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from people.models import User

logger = logging.getLogger(__name__)


def code_of_conduct_accept(*, user: User) -> User:
    """Record that the person agreed to the current code of conduct, and when."""
    user.code_of_conduct_version = settings.CODE_OF_CONDUCT_VERSION
    user.code_of_conduct_accepted_at = timezone.now()
    user.save(update_fields=["code_of_conduct_version", "code_of_conduct_accepted_at"])
    return user


def email_confirmation_send(*, email_address_id: int, signup: bool) -> bool:
    """Send the link that verifies an email address. Returns whether a mail went out.

    Safe to run twice: an address that is gone or already verified gets nothing.
    """
    email_address = EmailAddress.objects.select_related("user").filter(pk=email_address_id).first()
    if email_address is None:
        logger.info("Email address %s no longer exists; no confirmation sent.", email_address_id)
        return False
    if email_address.verified:
        return False
    confirmation = EmailConfirmationHMAC(email_address)
    activate_url = settings.SITE_URL + reverse("account_confirm_email", args=[confirmation.key])
    template = "account/email/email_confirmation_signup" if signup else "account/email/email_confirmation"
    context = {"user": email_address.user, "key": confirmation.key, "activate_url": activate_url}
    get_adapter().send_mail(template, email_address.email, context)
    return True


@transaction.atomic
def person_sign_up_details_save(*, user: User, display_name: str) -> User:
    user.display_name = display_name
    user.save(update_fields=["display_name"])
    return code_of_conduct_accept(user=user)
