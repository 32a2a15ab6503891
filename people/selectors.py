"""Reads about people and organisations."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import Count, Prefetch, Q, QuerySet

from people.models import (
    AuditEntry,
    DatabaseIdentity,
    Invitation,
    JoinRequest,
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


def is_organiser(*, user: User, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return organisers_of(organisation=organisation).filter(pk=user.pk).exists()


def organising_memberships() -> QuerySet[Membership]:
    """The one rule for who organises: a membership with the organiser role whose
    account is active. A deactivated or erased account organises nothing, though its
    membership row stays. Every question about organisers is asked through this."""
    return Membership.objects.filter(role=Membership.Role.ORGANISER, person__is_active=True)


def organisers_of(*, organisation: Organisation) -> QuerySet[User]:
    """Who organises an organisation (is_organiser asks it about one person)."""
    return User.objects.filter(pk__in=organising_memberships().filter(organisation=organisation).values("person_id"))


def organisations_organised_by(*, user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organising_memberships().filter(person=user).values("organisation_id"))


def blocked_people(*, organisation_id: int) -> QuerySet[OrganisationBlock]:
    """The one rule for who an organisation has blocked, as ids to filter by:
    `.exclude(person_id__in=blocked_people(organisation_id=...))`."""
    return OrganisationBlock.objects.filter(organisation_id=organisation_id).values("person_id")


def is_blocked(*, person: User, organisation: Organisation) -> bool:
    return blocked_people(organisation_id=organisation.pk).filter(person=person).exists()


def membership_of(*, user: User, organisation_slug: str) -> Membership | None:
    """The viewer's membership of an organisation, or None (also for a missing organisation)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(person=user, organisation__slug=organisation_slug)
        .first()
    )


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(person=user).select_related("organisation").order_by("organisation__name")


# --- Profiles and skills ---------------------------------------------------------


@dataclass
class ProfileData:
    """Raw profile rows for one person, before the visibility policy is applied."""

    profile: Profile | None = None
    perspectives: list[PersonPerspective] = field(default_factory=list)
    offers: list[TopicOffer] = field(default_factory=list)
    wants: list[TopicWant] = field(default_factory=list)


def profile_data_for(*, person_ids: list[int]) -> dict[int, ProfileData]:
    """Profile, perspectives and skills for many people in four queries."""
    data = {person_id: ProfileData() for person_id in person_ids}
    if not person_ids:
        return data
    for profile in Profile.objects.filter(person_id__in=person_ids):
        data[profile.person_id].profile = profile
    for perspective in PersonPerspective.objects.filter(person_id__in=person_ids):
        data[perspective.person_id].perspectives.append(perspective)
    for offer in topics_offered_for(person_ids=person_ids):
        data[offer.person_id].offers.append(offer)
    for want in topics_wanted_for(person_ids=person_ids):
        data[want.person_id].wants.append(want)
    return data


def profile_of(*, person: User) -> Profile:
    """The person's profile, or an unsaved blank one with private defaults."""
    return Profile.objects.filter(person=person).first() or Profile(person=person)


def topics_offered(person: User) -> QuerySet[TopicOffer]:
    return topics_offered_for(person_ids=[person.pk])


def topics_wanted(person: User) -> QuerySet[TopicWant]:
    return topics_wanted_for(person_ids=[person.pk])


def topics_offered_for(*, person_ids: list[int]) -> QuerySet[TopicOffer]:
    """Offers for many people at once (one query), with their topics."""
    return TopicOffer.objects.filter(person_id__in=person_ids).select_related("topic").order_by("topic__name", "id")


def topics_wanted_for(*, person_ids: list[int]) -> QuerySet[TopicWant]:
    return TopicWant.objects.filter(person_id__in=person_ids).select_related("topic").order_by("topic__name", "id")


def topics_available_to(*, person: User) -> QuerySet[Topic]:
    """Active topics of the organisations a person belongs to, plus any they already chose."""
    return (
        Topic.objects.filter(
            Q(organisation__memberships__person=person, is_active=True)
            | Q(offers__person=person)
            | Q(wants__person=person)
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name")
    )


def active_topics_of(*, organisation_id: int) -> QuerySet[Topic]:
    """The topics people may choose now (retired ones stay only on what already has them)."""
    return Topic.objects.filter(organisation_id=organisation_id, is_active=True)


def topics_of(*, organisation: Organisation) -> QuerySet[Topic]:
    return Topic.objects.filter(organisation=organisation).order_by("-is_active", "name")


# --- Organisations: people, invitations, audit --------------------------------------


@dataclass(frozen=True)
class PeopleFilter:
    topic_offered: int | None = None
    topic_wanted: int | None = None
    perspective: str | None = None


def organisation_people(*, organisation: Organisation, filters: PeopleFilter | None = None) -> list[Membership]:
    """Members of an organisation with their block status, in two queries.

    The perspective filter is applied after the visibility policy by the caller,
    because only perspectives the person lets organisers see may be used.
    """
    filters = filters or PeopleFilter()
    memberships = (
        Membership.objects.filter(organisation=organisation, person__is_active=True)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__organisation_blocks",
                queryset=OrganisationBlock.objects.filter(organisation=organisation),
            )
        )
        .order_by("person__display_name", "person_id")
    )
    if filters.topic_offered:
        memberships = memberships.filter(person__topic_offers__topic_id=filters.topic_offered)
    if filters.topic_wanted:
        memberships = memberships.filter(person__topic_wants__topic_id=filters.topic_wanted)
    return list(memberships.distinct())


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by", "accepted_by")


def invitation_by_token_hash(*, token_hash: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=token_hash).first()


def invitation_is_for(*, invitation: Invitation, person: User) -> bool:
    """Whether the invited address is the person's own: their primary address or one they have verified.

    The link alone proves nothing: an invitation email can be forwarded.
    """
    if person.email.casefold() == invitation.email.casefold():
        return True
    return EmailAddress.objects.filter(user=person, verified=True, email__iexact=invitation.email).exists()


# --- Requests to join -----------------------------------------------------------------


def is_member(*, person: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(person=person, organisation=organisation).exists()


def join_request_pending(*, person: User, organisation: Organisation) -> JoinRequest | None:
    """The person's request to join that is waiting for an organiser, or None."""
    return JoinRequest.objects.filter(
        person=person, organisation=organisation, status=JoinRequest.Status.PENDING
    ).first()


def join_requests_pending(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    """Requests waiting for an organiser, oldest first, with who asked (one query)."""
    return (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("person")
        .order_by("created_at", "id")
    )


def organisations_organised_with_requests(*, user: User) -> QuerySet[Organisation]:
    """The organisations the user organises, each with `pending_join_requests`, in one query."""
    return organisations_organised_by(user=user).annotate(
        pending_join_requests=Count("join_requests", filter=Q(join_requests__status=JoinRequest.Status.PENDING))
    )


def audit_entries_about(*, person: User) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject=person).select_related("actor")


def audit_entries_for_organisation(*, organisation: Organisation) -> QuerySet[AuditEntry]:
    """Entries where both people belong to the organisation: what its organisers may read.

    An entry made by someone from another organisation is left out, so one network
    does not learn who another network's people are. The person still sees it.
    """
    return (
        AuditEntry.objects.filter(
            subject__memberships__organisation=organisation, actor__memberships__organisation=organisation
        )
        .select_related("actor", "subject")
        .distinct()
    )


_identity: str = ""


def database_identity() -> str:
    """This database's random name (see DatabaseIdentity), read once per process.

    Empty if the row is missing (migrations not run yet): callers then compare nothing.
    """
    global _identity
    if not _identity:
        _identity = (
            DatabaseIdentity.objects.filter(id=DatabaseIdentity.ROW_ID).values_list("identity", flat=True).first() or ""
        )
    return _identity


# --- Booking for someone ------------------------------------------------------------

MEMBER_SEARCH_LIMIT = 20


def members_named(*, organisation: Organisation, search: str) -> QuerySet[User]:
    """Active members whose name has `search` in it, for an organiser booking on their behalf."""
    search = search.strip()
    if not search:
        return User.objects.none()
    return User.objects.filter(
        memberships__organisation=organisation, is_active=True, display_name__icontains=search
    ).order_by("display_name", "pk")[:MEMBER_SEARCH_LIMIT]


def member_of(*, organisation: Organisation, person_id: int) -> User | None:
    """An active member of the organisation, by id (None for anyone else)."""
    return User.objects.filter(pk=person_id, memberships__organisation=organisation, is_active=True).first()


def member_with_email(*, organisation: Organisation, email: str) -> User | None:
    """The one rule for "this address is already one of ours": an active account of the organisation."""
    return User.objects.filter(email__iexact=email, is_active=True, memberships__organisation=organisation).first()


def member_with_phone(*, organisation: Organisation, phone: str) -> User | None:
    """A member of the organisation whose stored number is this one (already in E.164 form)."""
    if not phone:
        return None
    return (
        User.objects.filter(phone=phone, is_active=True, memberships__organisation=organisation).order_by("pk").first()
    )


def sign_in_link_by_token_hash(*, token_hash: str) -> SignInLink | None:
    return SignInLink.objects.select_related("person").filter(token_hash=token_hash).first()
