"""The day version: one number per day that changes whenever anything the public day
page or the programme shows of that day changes.

Those pages keep what is expensive to work out (a big day's free times, its
programme, the whole page for visitors: `surgeries/page_cache.py`) in the cache under
the day's version, and so does the impact report (`afterday/selectors/report.py`), so
a change shows at once and nothing has to remember which cached parts to throw away.

The number lives in the cache, not in the database: reading it is one cache get.
How the number is kept, bumped (now and after commit) and read, and how pages go on
when the cache does not answer: `people/cache_versions.py`.

Bumping is hard to forget: `connect()` bumps on every save and delete of the rows
those pages show (days, their venues, surgeons and topics, slots,
bookings, commitments), and the apps above add their own rows in the same way
(`workshops/receivers.py`, `afterday/receivers.py`). A change made with `QuerySet.update()` or
`bulk_create()` sends no signal; the service that makes one calls `bump_day_version`.

Kept parts expire after `CACHED_FOR` seconds (`people/cache_versions.py`), which bounds how long a change
nothing bumps for can stay unseen: a person renaming themselves, or a commitment on
another day that overlaps this one.
"""

from collections.abc import Callable

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from people import cache_versions
from surgeries.models import Booking, Commitment, DaySurgeon, Slot, SurgeryDay, Venue


def day_version_key(day_id: int) -> str:
    """Where the day's version lives, for a page that reads it with others (`cache_versions.versions`)."""
    return f"day-version:{day_id}"


def day_version(day_id: int) -> int:
    """The day's current version: one cache read (two the first time)."""
    return cache_versions.version(day_version_key(day_id))


def bump_day_version(*day_ids: int | None) -> None:
    """Give these days a new version now, and again once the current transaction commits."""
    for day_id in {day_id for day_id in day_ids if day_id is not None}:
        cache_versions.bump(day_version_key(day_id))


def bump_on_change(model: type[Model], day_of: Callable[[Model], int | None], uid: str) -> None:
    """Bump the version of `day_of(row)` whenever a row of `model` is saved or deleted."""

    def changed(sender, instance, **kwargs) -> None:
        bump_day_version(day_of(instance))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"day_version_save_{uid}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"day_version_delete_{uid}")


def connect() -> None:
    """Bump on every change to the surgeries rows the day page and the programme show."""
    bump_on_change(SurgeryDay, lambda day: day.pk, "day")
    for model in (Booking, Commitment, DaySurgeon, Slot):
        bump_on_change(model, lambda row: row.day_id, model.__name__.lower())

    def venue_changed(sender, instance, **kwargs) -> None:
        # The pages of days still to come name the venue; a past day's page catches
        # up within CACHED_FOR.
        upcoming = SurgeryDay.objects.filter(venue=instance, ends_at__gt=timezone.now())
        bump_day_version(*upcoming.values_list("pk", flat=True))

    post_save.connect(venue_changed, sender=Venue, weak=False, dispatch_uid="day_version_venue")

    def topics_changed(sender, instance, **kwargs) -> None:
        if kwargs["action"] in ("post_add", "post_remove", "post_clear"):
            bump_day_version(getattr(instance, "day_id", None))

    m2m_changed.connect(topics_changed, sender=DaySurgeon.topics.through, weak=False, dispatch_uid="day_version_topics")
