"""My data: a person's export and the erasure of their account.

Every other app adds what it holds about a person through the two hooks here, from
its own privacy module, so people never imports them;
tests/people/test_privacy_coverage.py checks that every field pointing at a person
is covered.
"""

import secrets
from collections.abc import Callable

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from people import selectors
from people.enums import AccessNeed
from people.models import (
    AuditEntry,
    Invitation,
    JoinRequest,
    OrganisationBlock,
    PersonPerspective,
    Profile,
    SignInLink,
    TopicOffer,
    TopicWant,
    User,
)
from people.services import audit_record

ExportSection = Callable[[User], object]
ErasureHandler = Callable[[User], None]
_export_sections: dict[str, ExportSection] = {}
_erasure_handlers: list[ErasureHandler] = []

ERASED_DISPLAY_NAME = "Former member"


def register_export_section(name: str, fn: ExportSection) -> None:
    """Add `fn(person) -> JSON-ready data` to a person's export, under `name`."""
    _export_sections[name] = fn


def register_erasure_handler(fn: ErasureHandler) -> None:
    """Add `fn(person)`, run inside the erasure transaction before the account is scrubbed.

    Handlers remove special-category data and anonymise rows that must stay for
    counts (bookings keep pointing at the scrubbed account).
    """
    if fn not in _erasure_handlers:
        _erasure_handlers.append(fn)


def account_export(*, person: User) -> dict:
    """Everything held about a person, as JSON-ready data, plus sections other apps register."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": _account_export(person),
        "profile": _profile_export(Profile.objects.filter(person=person).first()),
        "perspectives": [
            {"perspective": p.get_perspective_display(), "visible_to": p.get_visibility_display()}
            for p in PersonPerspective.objects.filter(person=person)
        ],
        **_skills_export(person),
        "memberships": [
            {"organisation": m.organisation.name, "role": m.get_role_display(), "joined_at": m.joined_at.isoformat()}
            for m in selectors.memberships_of(user=person)
        ],
        "blocks": [
            {"organisation": b.organisation.name, "since": b.created_at.isoformat()}
            for b in OrganisationBlock.objects.filter(person=person).select_related("organisation")
        ],
        "requests_to_join": [
            {
                "organisation": r.organisation.name,
                "asked_at": r.created_at.isoformat(),
                "message": r.message,
                "status": r.get_status_display(),
                "answered_at": _iso(r.decided_at),
                "reason_given": r.decline_reason,
            }
            for r in JoinRequest.objects.filter(person=person).select_related("organisation")
        ],
        "audit_log": [
            {
                "when": e.created_at.isoformat(),
                "who": e.actor.display_name if e.actor else "Surgery Day",
                "action": e.get_action_display(),
                "fields": e.fields,
            }
            for e in selectors.audit_entries_about(person=person)
        ],
    }
    for name, fn in _export_sections.items():
        data[name] = fn(person)
    return data


def _account_export(person: User) -> dict:
    return {
        "email": person.email,
        "display_name": person.display_name,
        "phone": person.phone,
        "date_joined": person.date_joined.isoformat(),
        "last_login": _iso(person.last_login),
        "code_of_conduct_version": person.code_of_conduct_version,
        "code_of_conduct_accepted_at": _iso(person.code_of_conduct_accepted_at),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=person)
        ],
        # Links an organiser had sent when booking for them (the links themselves are not kept).
        "sign_in_links": [
            {
                "sent_by": link.created_by.display_name if link.created_by else None,
                "created_at": _iso(link.created_at),
                "used_at": _iso(link.used_at),
            }
            for link in SignInLink.objects.filter(person=person).select_related("created_by")
        ],
    }


def _skills_export(person: User) -> dict:
    offers = selectors.topics_offered(person).select_related("topic__organisation")
    wants = selectors.topics_wanted(person).select_related("topic__organisation")
    return {
        "topics_offered": [
            {"organisation": o.topic.organisation.name, "topic": o.topic.name, "confidence": o.get_confidence_display()}
            for o in offers
        ],
        "topics_wanted": [{"organisation": w.topic.organisation.name, "topic": w.topic.name} for w in wants],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _profile_export(profile: Profile | None) -> dict | None:
    if profile is None:
        return None
    return {
        "pronouns": profile.pronouns,
        "languages": profile.languages,
        "bio": profile.bio,
        "bio_visible_to": profile.get_bio_visibility_display(),
        "access_needs": [AccessNeed(code).label for code in profile.access_needs if code in AccessNeed.values],
        "access_needs_other": profile.access_needs_other,
        "access_needs_visible_to": profile.get_access_needs_visibility_display(),
        "contact_by_email": profile.contact_by_email,
        "contact_notes": profile.contact_notes,
    }


@transaction.atomic
def account_delete(*, person: User) -> User:
    """Erase a person: special-category data goes at once; the account row stays, scrubbed.

    1. Registered handlers (bookings, workshops, ...) anonymise their rows.
    2. Profile, perspectives, skills, requests to join, email addresses, sign-in links, pending
       invitations and log-in records are deleted.
    3. The user row keeps its id (other apps' counts stay right) but loses the email,
       name, phone number and password, and can no longer log in. Changing the password hash also
       ends every session the person still has open.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active and person.display_name == ERASED_DISPLAY_NAME:
        return person
    for handler in _erasure_handlers:
        handler(person)
    _personal_rows_delete(person)
    person.email = f"erased-{person.pk}-{secrets.token_hex(6)}@erased.invalid"
    person.display_name = ERASED_DISPLAY_NAME
    person.phone = ""
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.full_clean(exclude=["password"])
    person.save()
    audit_record(actor=None, subject=person, action=AuditEntry.Action.ERASED, fields=["account"])
    return person


def _personal_rows_delete(person: User) -> None:
    # Membership and OrganisationBlock rows stay: they point at the scrubbed account,
    # so an organisation's counts hold and a blocked person stays blocked.
    Profile.objects.filter(person=person).delete()
    PersonPerspective.objects.filter(person=person).delete()
    TopicOffer.objects.filter(person=person).delete()
    TopicWant.objects.filter(person=person).delete()
    # Their requests to join go, messages and all. The account row stays, so requests
    # this person answered as an organiser forget who answered them here.
    JoinRequest.objects.filter(person=person).delete()
    JoinRequest.objects.filter(decided_by=person).update(decided_by=None)
    # Links they were sent go; links they sent to others as an organiser stay, unsigned.
    SignInLink.objects.filter(person=person).delete()
    addresses = {person.email.lower(), *(a.lower() for a in person.emailaddress_set.values_list("email", flat=True))}
    EmailAddress.objects.filter(user=person).delete()
    # Accepted invitations too: organisers' invitation list would still show the address.
    Invitation.objects.filter(Q(email__in=addresses) | Q(accepted_by=person)).delete()
    # Log-in records are keyed by the email address the person typed.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=addresses).delete()
