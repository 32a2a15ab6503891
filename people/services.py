"""Writes that concern people and their accounts."""

import hashlib
import logging
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from celery import signature
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from people import selectors
from people.emails import send_templated_email
from people.enums import Confidence, Visibility
from people.models import (
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    OrganisationBlock,
    PersonPerspective,
    Profile,
    SignInLink,
    Topic,
    TopicOffer,
    TopicWant,
    User,
)

logger = logging.getLogger(__name__)

# The email jobs (people/tasks.py), queued by name: the task module imports this one,
# so this one does not import it. Queued messages carry these names; keep them.
SEND_EMAIL_CONFIRMATION_TASK = "people.send_email_confirmation"
SEND_INVITATION_TASK = "people.send_invitation"


def code_of_conduct_accept(*, user: User) -> User:
    """Record that the person agreed to the current code of conduct, and when."""
    user.code_of_conduct_version = settings.CODE_OF_CONDUCT_VERSION
    user.code_of_conduct_accepted_at = timezone.now()
    user.save(update_fields=["code_of_conduct_version", "code_of_conduct_accepted_at"])
    return user


def email_confirmation_queue(*, email_address_id: int, signup: bool) -> None:
    """Have a worker send the verification link once the current transaction commits."""
    job = signature(SEND_EMAIL_CONFIRMATION_TASK, kwargs={"email_address_id": email_address_id, "signup": signup})
    transaction.on_commit(job.delay)


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


class PeopleError(Exception):
    """A rule about people or organisations was broken; the message is for the person."""


# --- Audit ----------------------------------------------------------------------


def audit_record(*, actor: User | None, subject: User, action: str, fields: list[str]) -> AuditEntry:
    """Note that `actor` viewed or changed `subject`'s special-category data.

    Only field names are stored: the log must never become a second copy of health data.
    """
    entry = AuditEntry(actor=actor, subject=subject, action=action, fields=sorted(set(fields)))
    entry.full_clean()
    entry.save()
    return entry


def audit_record_many(*, actor: User, action: str, fields_by_subject: dict[int, list[str]]) -> None:
    """One entry per subject in a single query, for list pages."""
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=actor, subject_id=subject_id, action=action, fields=sorted(set(fields)))
        for subject_id, fields in fields_by_subject.items()
        if fields
    )


# --- Profile and skills ----------------------------------------------------------

SPECIAL_CATEGORY_FIELDS = ["perspectives", "access_needs", "bio"]


@transaction.atomic
def profile_update(
    *,
    person: User,
    display_name: str,
    pronouns: str = "",
    languages: str = "",
    bio: str = "",
    bio_visibility: str = Visibility.ONLY_ME,
    perspectives: dict[str, str] | None = None,
    access_needs: list[str] | None = None,
    access_needs_other: str = "",
    access_needs_visibility: str = Visibility.ONLY_ME,
    contact_by_email: bool = True,
    contact_notes: str = "",
    actor: User | None = None,
) -> Profile:
    """Save the whole profile. `perspectives` maps each perspective the person has to its visibility.

    When `actor` is someone other than the person (an organiser helping at the desk),
    the change is written to the person's audit log.
    """
    person.display_name = display_name
    person.full_clean(exclude=["password"])
    person.save(update_fields=["display_name"])
    profile = Profile.objects.filter(person=person).first() or Profile(person=person)
    profile.pronouns, profile.languages, profile.bio = pronouns, languages, bio
    profile.bio_visibility = bio_visibility
    profile.access_needs = sorted(set(access_needs or []))
    profile.access_needs_other = access_needs_other
    profile.access_needs_visibility = access_needs_visibility
    profile.contact_by_email, profile.contact_notes = contact_by_email, contact_notes
    profile.full_clean()
    profile.save()
    _perspectives_replace(person=person, perspectives=perspectives or {})
    if actor is not None and actor.pk != person.pk:
        audit_record(actor=actor, subject=person, action=AuditEntry.Action.CHANGED, fields=SPECIAL_CATEGORY_FIELDS)
    return profile


def _perspectives_replace(*, person: User, perspectives: dict[str, str]) -> None:
    PersonPerspective.objects.filter(person=person).exclude(perspective__in=perspectives).delete()
    for perspective, visibility in perspectives.items():
        row = PersonPerspective.objects.filter(person=person, perspective=perspective).first()
        row = row or PersonPerspective(person=person, perspective=perspective)
        row.visibility = visibility
        row.full_clean()
        row.save()


@transaction.atomic
def skills_update(*, person: User, offers: dict[int, int], wants: set[int]) -> None:
    """Replace what a person offers (topic id → confidence 1 to 3) and wants help with."""
    allowed = set(selectors.topics_available_to(person=person).values_list("pk", flat=True))
    if not set(offers) <= allowed or not set(wants) <= allowed:
        raise PeopleError("Choose topics from your organisations' lists.")
    if any(level not in Confidence.values for level in offers.values()):
        raise PeopleError("Choose how confident you are for each topic you can help with.")
    TopicOffer.objects.filter(person=person).exclude(topic_id__in=offers).delete()
    for topic_id, confidence in offers.items():
        TopicOffer.objects.update_or_create(person=person, topic_id=topic_id, defaults={"confidence": confidence})
    TopicWant.objects.filter(person=person).exclude(topic_id__in=wants).delete()
    for topic_id in wants:
        TopicWant.objects.get_or_create(person=person, topic_id=topic_id)


# --- Organisations and topics ---------------------------------------------------------


ORGANISATION_FIELDS = [
    "name",
    "description",
    "contact_email",
    "safeguarding_contact_name",
    "safeguarding_contact_email",
    "safeguarding_contact_phone",
]


@transaction.atomic
def organisation_update(*, organisation: Organisation, **values: str) -> Organisation:
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update got unexpected fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def topic_save(
    *, organisation: Organisation, name: str, description: str = "", is_active: bool = True, topic: Topic | None = None
) -> Topic:
    """Create a topic, or update `topic`. Topics are retired rather than deleted: bookings keep them."""
    topic = topic or Topic(organisation=organisation)
    if topic.organisation_id != organisation.pk:
        raise PeopleError("That topic belongs to another organisation.")
    topic.name, topic.description, topic.is_active = name.strip(), description.strip(), is_active
    duplicates = Topic.objects.filter(organisation=organisation, name__iexact=topic.name).exclude(pk=topic.pk)
    if duplicates.exists():
        raise ValidationError({"name": f"There is already a topic called “{topic.name}”. Choose another name."})
    topic.full_clean()
    topic.save()
    return topic


# --- Invitations --------------------------------------------------------------------

INVITATION_LIFETIME = timedelta(days=14)
INVITABLE_ROLES = [Membership.Role.ORGANISER, Membership.Role.SURGEON, Membership.Role.FACILITATOR]
# When someone already belongs, an invitation never lowers their role.
_ROLE_RANK = {
    Membership.Role.MEMBER: 0,
    Membership.Role.FACILITATOR: 1,
    Membership.Role.SURGEON: 1,
    Membership.Role.ORGANISER: 2,
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, organisation: Organisation, invited_by: User, email: str, role: str) -> tuple[Invitation, str]:
    """Create an invitation and email its link after commit. Returns the invitation and the raw token."""
    if role not in INVITABLE_ROLES:
        raise PeopleError("Invite people as an organiser, a surgeon or a facilitator.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email.strip().lower(),
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    # The raw token is only ever in the email; the database keeps its hash.
    job = signature(SEND_INVITATION_TASK, kwargs={"invitation_id": invitation.pk, "token": token})
    transaction.on_commit(job.delay)
    return invitation, token


def invitation_send(*, invitation_id: int, token: str) -> bool:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        logger.info("Invitation %s is gone or used; nothing sent.", invitation_id)
        return False
    context = {
        "organisation": invitation.organisation,
        "invited_by_name": invitation.invited_by.display_name if invitation.invited_by else "An organiser",
        "role_label": invitation.get_role_display(),
        "accept_url": settings.SITE_URL + reverse("people:invitation_accept", args=[token]),
        "expires_on": timezone.localtime(invitation.expires_at).strftime("%-d %B %Y"),
    }
    send_templated_email(name="invitation", to=invitation.email, context=context)
    return True


@transaction.atomic
def invitation_accept(*, token: str, person: User) -> Membership:
    """Use an invitation once: the person joins (or is promoted) in the invited role."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise PeopleError("This invitation link is not valid. Ask the organiser for a new one.")
    if invitation.accepted_at is not None:
        raise PeopleError("This invitation has already been used. Ask the organiser for a new one.")
    if invitation.expires_at <= timezone.now():
        raise PeopleError("This invitation has expired. Ask the organiser for a new one.")
    if not selectors.invitation_is_for(invitation=invitation, person=person):
        # The invitation stays unused, so the invited person can still accept it.
        raise PeopleError(
            f"This invitation was sent to {invitation.masked_email}, not to the address you are signed in with. "
            "Sign out and sign in with that address to accept it."
        )
    if selectors.is_blocked(person=person, organisation=invitation.organisation):
        raise PeopleError("This invitation cannot be used. Please contact the organisers.")
    membership, _ = Membership.objects.get_or_create(
        organisation=invitation.organisation, person=person, defaults={"role": invitation.role}
    )
    if _ROLE_RANK[invitation.role] > _ROLE_RANK[membership.role]:
        membership.role = invitation.role
        membership.full_clean()
        membership.save(update_fields=["role"])
    invitation.accepted_at, invitation.accepted_by = timezone.now(), person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


# --- Blocking ------------------------------------------------------------------------


@transaction.atomic
def person_block(*, organisation: Organisation, person: User, actor: User) -> OrganisationBlock:
    """Stop a person booking the organisation's days. Organisers cannot be blocked."""
    if person.pk == actor.pk:
        raise PeopleError("You cannot block yourself.")
    if selectors.is_organiser(user=person, organisation=organisation):
        raise PeopleError("Organisers cannot be blocked. Change their role first.")
    block, _ = OrganisationBlock.objects.get_or_create(
        organisation=organisation, person=person, defaults={"blocked_by": actor}
    )
    return block


@transaction.atomic
def person_unblock(*, organisation: Organisation, person: User) -> None:
    OrganisationBlock.objects.filter(organisation=organisation, person=person).delete()


def audit_entries_purge(*, now=None) -> int:
    """Delete audit entries older than AUDIT_RETENTION_DAYS. Returns how many went.

    A person's log shows who looked at their private details recently; older
    entries only grow the table (the list and profile pages write one per view).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- One-time sign-in links -----------------------------------------------------------

SIGN_IN_LINK_LIFETIME = timedelta(days=7)
SIGN_IN_LINK_NOT_VALID = "This sign-in link is not valid, has been used or has expired. Log in, or ask the organisers."


@transaction.atomic
def sign_in_link_create(*, person: User, created_by: User) -> tuple[SignInLink, str]:
    """Make a link that signs `person` in once. Returns the link and the raw token.

    The raw token is only ever in the email (and the job that sends it, queued by the
    caller, who knows what the email is about); the database keeps its hash.
    """
    token = secrets.token_urlsafe(32)
    link = SignInLink(
        person=person,
        created_by=created_by,
        token_hash=hash_token(token),
        expires_at=timezone.now() + SIGN_IN_LINK_LIFETIME,
    )
    link.full_clean()
    link.save()
    return link, token


def sign_in_link_send(*, link_id: int, token: str, context: dict) -> bool:
    """Email a sign-in link that is still unused, with `context` saying what was booked. Safe to run twice."""
    link = SignInLink.objects.select_related("person", "created_by").filter(pk=link_id).first()
    if link is None or not link.is_usable:
        logger.info("Sign-in link %s is gone, used or expired; nothing sent.", link_id)
        return False
    context = {
        "person": link.person,
        "booked_by_name": link.created_by.display_name if link.created_by else "An organiser",
        "sign_in_url": settings.SITE_URL + reverse("people:sign_in_link", args=[token]),
        "expires_on": timezone.localtime(link.expires_at).strftime("%-d %B %Y"),
        **context,
    }
    send_templated_email(name="sign_in_link", to=link.person.email, context=context)
    return True


@transaction.atomic
def sign_in_link_use(*, token: str) -> User:
    """Use a link once: returns the person to sign in, or raises PeopleError."""
    link = SignInLink.objects.select_for_update().select_related("person").filter(token_hash=hash_token(token)).first()
    if link is None or not link.is_usable:
        raise PeopleError(SIGN_IN_LINK_NOT_VALID)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link.person


@transaction.atomic
def person_phone_set(*, person: User, phone: str) -> User:
    """Keep a number already checked by people.phones.normalise_phone (never logged)."""
    person.phone = phone
    person.full_clean(exclude=["password"])
    person.save(update_fields=["phone"])
    return person


# --- People booked by an organiser ----------------------------------------------------

# Addresses under .invalid (RFC 2606) can never receive mail nor match a real address.
WALK_IN_RECORD_DOMAIN = "walk-in.invalid"
NO_EMAIL_DOMAIN = "no-email.invalid"


def has_reachable_email(person: User) -> bool:
    """Whether mail to this account can reach someone (the outbox asks the same)."""
    return person.is_active and bool(person.email) and not person.email.lower().endswith(".invalid")


def was_given_an_address(person: User) -> bool:
    """Whether the organisers were given an email address for this person, even one whose
    account lives elsewhere (a separate record): what organisers may be told."""
    return has_reachable_email(person) or person.email.lower().endswith(f"@{WALK_IN_RECORD_DOMAIN}")


@transaction.atomic
def person_create_for_organisation(
    *, organisation: Organisation, display_name: str, email: str = "", phone: str = ""
) -> User:
    """A new member an organiser books for, when the desk may not use an existing account.

    1. No address (someone who gave only a phone number): an account under a made-up
       address that receives nothing; the organisers find them again by name or number.
    2. An unknown address: an account they can claim later with "forgotten password".
    3. An address that already has an account (elsewhere, closed or deactivated): a
       separate record with the name given, which cannot log in or receive email; the
       account itself is left alone. 2 and 3 take the same steps, so the organiser
       cannot tell whether an address has an account.
    The person becomes a member of the organisation, so the next booking with the same
    new address is made under the same account, not under a second, unreachable one.
    `phone` is already in the form people.phones.normalise_phone gives.
    """
    if not email:
        address, is_active = f"{secrets.token_hex(12)}@{NO_EMAIL_DOMAIN}", True
    elif User.objects.filter(email__iexact=email).exists():
        address, is_active = f"{secrets.token_hex(12)}@{WALK_IN_RECORD_DOMAIN}", False
    else:
        address, is_active = User.objects.normalize_email(email), True
    person = User(email=address, display_name=display_name, phone=phone, is_active=is_active)
    person.set_unusable_password()
    person.full_clean()
    person.save()
    Membership.objects.create(organisation=organisation, person=person, role=Membership.Role.MEMBER)
    return person
