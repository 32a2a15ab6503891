"""Demo organisation and people for `manage.py seed_demo`."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from people.models import Membership, Organisation, User

DEMO_PASSWORD = "surgery-demo-2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    demo_role: str
    is_organiser: bool = False


DEMO_PEOPLE = [
    DemoPerson("organiser@example.org", "Priya", "organiser", is_organiser=True),
    DemoPerson("sam@example.org", "Sam", "surgeon: lived experience, tech expert"),
    DemoPerson("joan@example.org", "Joan", "surgeon: community journalist"),
    DemoPerson("dev@example.org", "Dev", "surgeon: statutory sector worker"),
    DemoPerson("alex@example.org", "Alex", "learner: lived experience"),
    DemoPerson("maria@example.org", "Maria", "learner: voluntary sector worker"),
    DemoPerson("tom@example.org", "Tom", "learner and surgeon: volunteer"),
]


def _seed_person(spec: DemoPerson) -> User:
    user, created = User.objects.get_or_create(email=spec.email, defaults={"display_name": spec.display_name})
    if created:
        user.set_password(DEMO_PASSWORD)
    user.display_name = spec.display_name
    user.code_of_conduct_version = settings.CODE_OF_CONDUCT_VERSION
    user.code_of_conduct_accepted_at = user.code_of_conduct_accepted_at or timezone.now()
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
    user.demo_role = spec.demo_role
    return user


def seed_people() -> tuple[Organisation, list[User]]:
    organisation, _ = Organisation.objects.update_or_create(
        slug="leeds",
        defaults={
            "name": "Leeds Mental Health Social Media Surgery",
            "description": "A co-produced social media surgery for people with lived experience, "
            "workers, volunteers and community journalists in Leeds.",
            "contact_email": "hello@example.org",
        },
    )
    people = []
    for spec in DEMO_PEOPLE:
        person = _seed_person(spec)
        role = Membership.Role.ORGANISER if spec.is_organiser else Membership.Role.MEMBER
        Membership.objects.update_or_create(organisation=organisation, person=person, defaults={"role": role})
        people.append(person)
    return organisation, people
