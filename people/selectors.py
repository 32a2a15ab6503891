"""Reads about people and organisations."""

from people.models import Membership, Organisation, OrganisationBlock, User


def is_organiser(*, user: User, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(organisation=organisation, person=user, role=Membership.Role.ORGANISER).exists()


def organisations_organised_by(*, user: User):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__person=user, memberships__role=Membership.Role.ORGANISER).distinct()


def is_blocked(*, person: User, organisation: Organisation) -> bool:
    return OrganisationBlock.objects.filter(organisation=organisation, person=person).exists()
