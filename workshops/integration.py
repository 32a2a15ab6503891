"""What workshops offers the surgeries pages through their registries.

surgeries must not import workshops, so these adapters turn workshop reads into
the plain rows surgeries understands, and `WorkshopsConfig.ready()` registers
them. Each adapter reads in a fixed number of queries.
"""

from django.urls import reverse

from surgeries.models import SurgeryDay
from surgeries.programme import ProgrammeEntry
from workshops.selectors import programme_items


def programme_source(day: SurgeryDay) -> list[ProgrammeEntry]:
    """Active workshops and open space for the day's programme: three queries."""
    entries = []
    for item in programme_items(day=day):
        if item.kind == "workshop":
            run_by = ", ".join(item.facilitator_names)
            entries.append(
                ProgrammeEntry(
                    kind="workshop",
                    kind_label="Workshop",
                    title=item.title,
                    room=item.room,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    places_left=item.places_left,
                    url=reverse("workshops:workshop_detail", kwargs={"workshop_id": item.pk}),
                    detail=f"Run by {run_by}" if run_by else "",
                )
            )
        else:
            entries.append(
                ProgrammeEntry(
                    kind="open_space",
                    kind_label="Open space",
                    title=item.title,
                    room=item.room,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    detail="No need to register",
                )
            )
    return entries


def register() -> None:
    from surgeries.programme import register_programme_source

    register_programme_source(programme_source)
