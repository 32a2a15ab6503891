"""The day version: one number per day that changes whenever anything the public day
page or the programme shows of that day changes.

Those pages keep what is expensive to work out (a big day's free times, its
programme) in the cache under the day's version, so a change shows at once and
nothing has to remember which cached parts to throw away.

The number lives in the cache, not in the database: reading it is one cache get.
It is bumped when the change is made and again after it commits
(`transaction.on_commit`), so a page read between the write and the commit, which
still sees the old rows, cannot leave them kept under the final number.

Bumping is hard to forget: `connect()` bumps on every save and delete of the rows
those pages show (days, their surgeons and topics, slots, bookings,
commitments), and the apps above add their own rows in the same way
(`workshops/receivers.py`). A change made with `QuerySet.update()` or
`bulk_create()` sends no signal; the service that makes one calls `bump_day_version`.

A version missing from the cache (evicted, or the cache emptied) starts again from
the current time in nanoseconds, never from a number an older cached entry used.
Cached entries also expire after `CACHED_FOR` seconds, which bounds how long a
change nothing bumps for can stay unseen: a person renaming themselves, or a
commitment on another day that overlaps this one.
"""

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

# How long a cached part of a page lives at most, in seconds.
CACHED_FOR = 300

T = TypeVar("T")


def _key(day_id: int) -> str:
    return f"day-version:{day_id}"


def day_version(day_id: int) -> int:
    """The day's current version: one cache read (two the first time)."""
    version = cache.get(_key(day_id))
    if version is None:
        cache.add(_key(day_id), time.time_ns(), timeout=None)
        version = cache.get(_key(day_id))
    return version


def kept(key: str, work_out: Callable[[], T]) -> T:
    """The value kept under `key` (which holds a day version), worked out and kept if missing."""
    value = cache.get(key)
    if value is None:
        value = work_out()
        cache.set(key, value, CACHED_FOR)
    return value


def bump_day_version(*day_ids: int | None) -> None:
    """Give these days a new version now, and again once the current transaction commits.

    Now, so that the writer's own next read (and a test, whose transaction never
    commits) sees the change; again after the commit, because a page read by someone
    else in between saw the old rows and may have kept them under the first new number.
    """
    ids = {day_id for day_id in day_ids if day_id is not None}
    if ids:
        _bump(ids)
        transaction.on_commit(lambda: _bump(ids))


def _bump(day_ids: Iterable[int]) -> None:
    for day_id in day_ids:
        try:
            cache.incr(_key(day_id))
        except ValueError:  # not in the cache: any new number will do
            cache.set(_key(day_id), time.time_ns(), timeout=None)


def bump_on_change(model: type[Model], day_of: Callable[[Model], int | None], uid: str) -> None:
    """Bump the version of `day_of(row)` whenever a row of `model` is saved or deleted."""

    def changed(sender, instance, **kwargs) -> None:
        bump_day_version(day_of(instance))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"day_version_save_{uid}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"day_version_delete_{uid}")


def connect() -> None:
    """Bump on every change to the surgeries rows the day page and the programme show."""
    # Imported here: models are ready only once apps are, and this runs from ready().
    from surgeries.models import Booking, Commitment, DaySurgeon, Slot, SurgeryDay  # noqa: PLC0415 -- app ready

    bump_on_change(SurgeryDay, lambda day: day.pk, "day")
    for model in (Booking, Commitment, DaySurgeon, Slot):
        bump_on_change(model, lambda row: row.day_id, model.__name__.lower())

    def topics_changed(sender, instance, **kwargs) -> None:
        if kwargs["action"] in ("post_add", "post_remove", "post_clear"):
            bump_day_version(getattr(instance, "day_id", None))

    m2m_changed.connect(topics_changed, sender=DaySurgeon.topics.through, weak=False, dispatch_uid="day_version_topics")
