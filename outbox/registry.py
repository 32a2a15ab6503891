"""Kinds of notification, registered by the apps that own their subjects.

The outbox knows nothing about bookings or surgery days, so each app describes its
messages here from its `AppConfig.ready()`:

    register_kind(
        NotificationKind(
            name="surgeries.day_reminder",
            essential=False,
            send_within=timedelta(hours=2),       # a row later than this past due is cancelled
            template="day_reminder",              # templates/emails/day_reminder/
            build_context=day_reminder_context,   # (notification, subject, recipient) -> dict
            is_live=day_is_open,                  # (subject) -> bool
            due_at=day_reminder_due_at,           # (subject, slot) -> datetime | None
        )
    )
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Model

# (filename, content, mimetype), as EmailMessage.attach takes them.
Attachment = tuple[str, bytes | str, str]


@dataclass(frozen=True)
class NotificationKind:
    name: str
    # Essential messages go even to people who turned off non-essential ones.
    essential: bool
    # How late the message may still go: a row this long past its due time (after an
    # outage, say) is cancelled as too late instead of sent. Required, so every kind
    # says it: a confirmation is worth sending days late, a feedback request for a day
    # months ago is not.
    send_within: timedelta
    # Folder under templates/emails/ holding subject.txt, body.txt and body.html.
    template: str
    build_context: Callable[[Any, Model, Any], dict]
    # Checked just before sending: a subject cancelled after the row was claimed gets nothing.
    is_live: Callable[[Model], bool]
    # Recomputes a due time when the subject moves; None means "no longer wanted".
    due_at: Callable[[Model, str], datetime | None] | None = None
    attachments: Callable[[Any, Model, Any], list[Attachment]] | None = None
    # A short human label for organiser pages.
    label: str = ""


# The usual values of `send_within`. A notice (a confirmation, a cancellation) still
# matters days late; a reminder is pointless long after its time, and its `is_live`
# also stops it once the thing has started.
NOTICE_SEND_WITHIN = timedelta(days=7)
REMINDER_SEND_WITHIN = timedelta(hours=2)


class UnknownNotificationKind(LookupError):
    pass


_KINDS: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    existing = _KINDS.get(kind.name)
    # ready() can run twice (tests, autoreload); the same kind again is harmless.
    if existing is not None and existing != kind:
        raise ValueError(f"A different notification kind is already registered as {kind.name!r}.")
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> NotificationKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownNotificationKind(f"No notification kind is registered as {name!r}.") from None


def registered_kinds() -> dict[str, NotificationKind]:
    return dict(_KINDS)


# Called with each notification just marked failed, so the app that owns its scope
# can tell someone (surgeries sends the day's organisers a digest).
FailureListener = Callable[[Any], None]
_FAILURE_LISTENERS: list[FailureListener] = []


def register_failure_listener(listener: FailureListener) -> None:
    if listener not in _FAILURE_LISTENERS:
        _FAILURE_LISTENERS.append(listener)


def failure_listeners() -> tuple[FailureListener, ...]:
    return tuple(_FAILURE_LISTENERS)
