"""Demo organisation and people for `manage.py seed_demo`."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from people import services
from people.enums import Visibility
from people.models import Membership, Organisation, Topic, User

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
    topics = seed_topics(organisation=organisation)
    seed_profiles(organisation=organisation, people=people, topics=topics)
    return organisation, people


# --- Topics and profiles ---------------------------------------------------------

DEMO_TOPICS = [
    ("Getting started on Twitter/X", "Setting up an account, posting, and following people who matter to you."),
    ("Facebook pages for groups", "Setting up and running a page or group for your project."),
    ("Blogging", "Starting a blog and writing your first posts."),
    ("Video and podcasts", "Recording, editing and sharing video and audio on a budget."),
    ("Instagram", "Sharing photos and stories, and using it for a group or cause."),
    ("Privacy and safety settings", "Choosing who sees what, and locking down your accounts."),
    ("Dealing with trolls", "Muting, blocking, reporting, and looking after yourself when it gets nasty."),
    ("Wellbeing and boundaries online", "Taking breaks, notifications, and keeping work and life apart."),
    ("Telling your story safely", "Sharing lived experience online on your own terms."),
]

LIVED, VOLUNTARY, STATUTORY = "lived_experience", "worker_voluntary", "worker_statutory"
VOLUNTEER, JOURNALIST, TECH = "volunteer", "community_journalist", "tech_expert"

# Per person: membership role, profile fields, perspectives with visibility,
# offers (topic index, confidence) and wants (topic index).
DEMO_PROFILES = {
    "organiser@example.org": {
        "role": Membership.Role.ORGANISER,
        "profile": {
            "pronouns": "she/her",
            "languages": "English, Gujarati",
            "bio": "I coordinate the Leeds surgeries.",
        },
        "perspectives": {VOLUNTARY: Visibility.EVENT},
        "offers": [(1, 2), (7, 2)],
        "wants": [3],
    },
    "sam@example.org": {
        "role": Membership.Role.SURGEON,
        "profile": {
            "pronouns": "they/them",
            "languages": "English",
            "bio": "Peer supporter. I run an online group about recovery and love a good privacy setting.",
            "bio_visibility": Visibility.EVENT,
            "access_needs": ["quiet_space"],
            "access_needs_visibility": Visibility.ORGANISERS,
        },
        "perspectives": {LIVED: Visibility.PAIRED, TECH: Visibility.EVENT},
        "offers": [(5, 3), (6, 2), (7, 3), (8, 2)],
        "wants": [3],
    },
    "joan@example.org": {
        "role": Membership.Role.SURGEON,
        "profile": {"pronouns": "she/her", "languages": "English", "bio": "Community reporter for a local news site."},
        "perspectives": {JOURNALIST: Visibility.EVENT},
        "offers": [(2, 3), (3, 2), (0, 2)],
        "wants": [4],
    },
    "dev@example.org": {
        "role": Membership.Role.SURGEON,
        "profile": {"languages": "English, Punjabi", "bio": "I work in a community mental health team."},
        "perspectives": {STATUTORY: Visibility.ORGANISERS},
        "offers": [(1, 2), (0, 1)],
        "wants": [6],
    },
    "alex@example.org": {
        "role": Membership.Role.MEMBER,
        "profile": {
            "languages": "English",
            "bio": "I would like to blog about my recovery, safely.",
            "access_needs": ["step_free", "extra_time"],
            "access_needs_visibility": Visibility.PAIRED,
        },
        "perspectives": {LIVED: Visibility.ONLY_ME},
        "offers": [],
        "wants": [2, 5, 8],
    },
    "maria@example.org": {
        "role": Membership.Role.MEMBER,
        "profile": {"pronouns": "she/her", "languages": "English, Polish"},
        "perspectives": {VOLUNTARY: Visibility.ORGANISERS},
        "offers": [],
        "wants": [1, 6],
    },
    "tom@example.org": {
        "role": Membership.Role.SURGEON,
        "profile": {"pronouns": "he/him", "languages": "English", "bio": "Volunteer at a drop-in café."},
        "perspectives": {VOLUNTEER: Visibility.EVENT, LIVED: Visibility.ORGANISERS},
        "offers": [(4, 2)],
        "wants": [3, 0],
    },
}


def seed_topics(*, organisation: Organisation) -> list[Topic]:
    return [
        Topic.objects.update_or_create(
            organisation=organisation, name=name, defaults={"description": description, "is_active": True}
        )[0]
        for name, description in DEMO_TOPICS
    ]


def seed_profiles(*, organisation: Organisation, people: list[User], topics: list[Topic]) -> None:
    """Profiles go through the same services as the pages, so the demo obeys the same rules."""
    for person in people:
        spec = DEMO_PROFILES.get(person.email)
        if spec is None:
            continue
        Membership.objects.filter(organisation=organisation, person=person).update(role=spec["role"])
        services.profile_update(
            person=person, display_name=person.display_name, perspectives=spec["perspectives"], **spec["profile"]
        )
        services.skills_update(
            person=person,
            offers={topics[index].pk: confidence for index, confidence in spec["offers"]},
            wants={topics[index].pk for index in spec["wants"]},
        )
