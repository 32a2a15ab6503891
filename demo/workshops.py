"""Demo workshops and open space for `manage.py seed_demo`. Safe to run again."""

import zoneinfo
from datetime import UTC, datetime, time

from people.models import Organisation, User
from people.selectors import organisers_of
from surgeries.models import SurgeryDay
from workshops import errors, services
from workshops.models import OpenSpace, Workshop

DEMO_WORKSHOPS = [
    {
        "title": "Taking better photos on your phone",
        "description": "Light, framing and a few free editing tricks, so your group's posts catch the eye. "
        "Bring your phone; no experience needed.",
        "room": "Room 2",
        "times": (time(11), time(12)),
        "capacity": 8,
        "accessibility_notes": "Step-free room with a hearing loop. Large-print handouts on request.",
        "facilitators": ["organiser@example.org"],
    },
    {
        "title": "Wellbeing and boundaries online",
        "description": "How to look after yourself on social media: muting, taking breaks, and saying no. "
        "A gentle, small-group session; share only what you want to.",
        "room": "Quiet room",
        "times": (time(13, 30), time(14, 30)),
        "capacity": 12,
        "accessibility_notes": "Quiet, step-free room. Slides shared the day before.",
        "online_link": "https://meet.example.org/wellbeing",
        "facilitators": ["joan@example.org"],
    },
]


def _at(day: SurgeryDay, wall_clock: time) -> datetime:
    zone = zoneinfo.ZoneInfo(day.time_zone)
    return datetime.combine(day.starts_at.astimezone(zone).date(), wall_clock, tzinfo=zone).astimezone(UTC)


def _details(day: SurgeryDay, spec: dict, facilitator_ids: list[int]) -> services.WorkshopDetails:
    start, end = spec["times"]
    return services.WorkshopDetails(
        title=spec["title"],
        description=spec["description"],
        room=spec["room"],
        starts_at=_at(day, start),
        ends_at=_at(day, end),
        capacity=spec["capacity"],
        accessibility_notes=spec.get("accessibility_notes", ""),
        online_link=spec.get("online_link", ""),
        facilitator_ids=facilitator_ids,
    )


def _seed_workshop(day: SurgeryDay, organiser: User, spec: dict) -> Workshop:
    facilitator_ids = list(User.objects.filter(email__in=spec["facilitators"]).values_list("pk", flat=True))
    existing = Workshop.objects.filter(day=day, title=spec["title"], status=Workshop.Status.ACTIVE).first()
    for ids in (facilitator_ids, []):  # if a facilitator is busy in someone's demo data, run it without them
        details = _details(day, spec, ids)
        try:
            if existing is None:
                return services.workshop_create(day=day, by=organiser, details=details)
            return services.workshop_update(workshop_id=existing.pk, by=organiser, details=details)
        except errors.FacilitatorBusy:
            continue
    raise errors.WorkshopError(f"Could not seed {spec['title']}.")


def seed_workshops(*, organisation: Organisation, days: list[SurgeryDay]) -> list[Workshop]:
    organiser = organisers_of(organisation=organisation).order_by("pk").first()
    workshops = []
    for day in days:
        if day.is_closed() or organiser is None:
            continue
        workshops += [_seed_workshop(day, organiser, spec) for spec in DEMO_WORKSHOPS]
        OpenSpace.objects.update_or_create(
            day=day,
            title="Open space and lunch",
            defaults={"room": "Main hall", "starts_at": _at(day, time(12, 30)), "ends_at": _at(day, time(13, 30))},
        )
    return workshops
