"""Versions kept in the cache: one number per subject (a day, an organisation's topics)
that changes whenever what a page shows of it changes, so parts of pages kept under
the number are never served stale and nothing has to remember which to throw away.

One home for both versions the pages use (`surgeries.day_version`,
`people.topic_forms`), and for values kept at a version (`kept_at`, `keep_at`), which
a page can look up together with the version in one round trip:

- A version missing from the cache (evicted, or the cache emptied) starts again from
  the current time in nanoseconds, never from a number an older entry used.
- `bump` changes it now, so the writer's own next read (and a test, whose transaction
  never commits) sees the change, and again after the commit, because a page read by
  someone else in between saw the old rows and may have kept them under the first
  new number.
- A cache that does not answer (Redis down) makes pages slower, never broken: a
  version it cannot read is a new number no entry was kept under, kept values are
  worked out afresh, and a write that changes data is never refused because its bump
  failed. Entries expire after `CACHED_FOR` seconds, which bounds how long a bump lost
  that way (or a change nothing bumps for) can stay unseen.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

# How long a kept part of a page lives at most, in seconds.
CACHED_FOR = 300

logger = logging.getLogger(__name__)
T = TypeVar("T")


def version(key: str) -> int:
    """The current version under `key`: one cache read (two the first time)."""
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, time.time_ns(), timeout=None)
            value = cache.get(key)
    except RedisError as error:
        _unavailable("read a version", error)
        return time.time_ns()
    return value


def versions(*keys: str) -> list[int]:
    """The current versions under these keys, with one cache read (two when any is missing).

    For a page kept under several versions: each cache operation costs a round trip and,
    with Django's Redis cache, a new client, so one read for all is cheaper than one each.
    """
    try:
        found = cache.get_many(keys)
        missing = [key for key in keys if found.get(key) is None]
        if missing:
            for key in missing:
                cache.add(key, time.time_ns(), timeout=None)
            found.update(cache.get_many(missing))
    except RedisError as error:
        _unavailable("read a version", error)
        return [time.time_ns()] * len(keys)
    return [found.get(key) or time.time_ns() for key in keys]


def bump(key: str) -> None:
    """A new version under `key` now, and again once the current transaction commits."""
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def kept(key: str, work_out: Callable[[], T]) -> T:
    """The value kept under `key` (which holds a version), worked out and kept if missing."""
    try:
        value = cache.get(key)
    except RedisError as error:
        _unavailable("read a kept value", error)
        return work_out()
    if value is None:
        value = work_out()
        try:
            cache.set(key, value, CACHED_FOR)
        except RedisError as error:
            _unavailable("keep a value", error)
    return value


def kept_at(version_key: str, key: str) -> tuple[int | None, object | None]:
    """The version under `version_key` and the value kept under `key` at that version,
    read in one round trip to the cache.

    The value is None when nothing was kept, or when it was kept at another version
    (so it is out of date); the version is None when the cache has none or does not
    answer.
    """
    try:
        found = cache.get_many([version_key, key])
    except RedisError as error:
        _unavailable("read a kept value", error)
        return None, None
    current, entry = found.get(version_key), found.get(key)
    if current is None or not isinstance(entry, tuple) or entry[0] != current:
        return current, None
    return current, entry[1]


def keep_at(key: str, version: int, value: object, *, seconds: float = CACHED_FOR) -> None:
    """Keep `value` under `key` for `kept_at` to find while the version stays `version`,
    for `seconds` at most (and never longer than `CACHED_FOR`)."""
    seconds = min(seconds, CACHED_FOR)
    if seconds <= 0:
        return
    try:
        cache.set(key, (version, value), seconds)
    except RedisError as error:
        _unavailable("keep a value", error)


def kept_many(work: dict[str, Callable[[], T]]) -> dict[str, T]:
    """`kept` for several keys at once: one cache read for all, one write for those missing."""
    try:
        found = cache.get_many(list(work))
    except RedisError as error:
        _unavailable("read a kept value", error)
        return {key: work_out() for key, work_out in work.items()}
    missing = {key: work_out() for key, work_out in work.items() if found.get(key) is None}
    if missing:
        try:
            cache.set_many(missing, CACHED_FOR)
        except RedisError as error:
            _unavailable("keep a value", error)
    return {key: missing[key] if key in missing else found[key] for key in work}


def _bump(key: str) -> None:
    try:
        try:
            cache.incr(key)
        except ValueError:  # not in the cache: any new number will do
            cache.set(key, time.time_ns(), timeout=None)
    except RedisError as error:
        _unavailable("bump a version", error)


def _unavailable(what: str, error: Exception) -> None:
    # The key names only a subject's id; no personal data goes to the log.
    logger.warning("The cache did not answer when asked to %s (%s); going on without it.", what, type(error).__name__)
