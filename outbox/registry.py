"""Kinds of notification, declared as data by the apps that own their subjects.

The outbox knows nothing about bookings or surgery days. Each app that sends mail
describes its messages in its `notifications` module (or package), as a tuple:

    KINDS = (
        NotificationKind(
            name="surgeries.day_reminder",
            essential=False,
            send_within=REMINDER_SEND_WITHIN,     # a row later than this past due is cancelled
            template="day_reminder",              # templates/emails/day_reminder/
            build_context=day_reminder_context,   # (notification, subject, recipient) -> dict
            is_live=day_is_open,                  # (subject) -> bool
            due_at=day_reminder_due_at,           # (subject, slot) -> datetime | None
        ),
    )

An app that wants to hear about failed messages adds `FAILURE_LISTENERS = (callable, ...)`
beside it. The outbox reads both from every installed app the first time it needs
them, as the admin finds each app's `admin` module: no registration calls, and one
place per app to read what it sends.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils.module_loading import module_has_submodule

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

# Called with each notification just marked failed, so the app that owns its scope
# can tell someone (surgeries sends the day's organisers a digest).
FailureListener = Callable[[Any], None]

# The module (or package) in which each app declares KINDS and FAILURE_LISTENERS.
DECLARING_MODULE = "notifications"


class UnknownNotificationKind(LookupError):
    pass


def kinds_by_name(kinds: Iterable[NotificationKind]) -> dict[str, NotificationKind]:
    """Index kinds by name. The same kind listed twice is harmless; two different
    kinds under one name would send one of them with the other's template or
    liveness check, so that stops here."""
    by_name: dict[str, NotificationKind] = {}
    for kind in kinds:
        existing = by_name.setdefault(kind.name, kind)
        if existing != kind:
            raise ImproperlyConfigured(f"Two different notification kinds are declared as {kind.name!r}.")
    return by_name


def _declared(attribute: str) -> Iterator[Any]:
    """The items of `attribute` in each installed app's notifications module, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, DECLARING_MODULE):
            yield from getattr(import_module(f"{config.name}.{DECLARING_MODULE}"), attribute, ())


# Collected once, on first use: by then every app is loaded, whatever the order of
# INSTALLED_APPS, and importing the apps' notifications modules cannot run into a
# half-initialised app.
@cache
def _kinds() -> dict[str, NotificationKind]:
    return kinds_by_name(list(_declared("KINDS")))


def get_kind(name: str) -> NotificationKind:
    try:
        return _kinds()[name]
    except KeyError:
        raise UnknownNotificationKind(f"No notification kind is declared as {name!r}.") from None


def registered_kinds() -> dict[str, NotificationKind]:
    return dict(_kinds())


@cache
def failure_listeners() -> tuple[FailureListener, ...]:
    return tuple(dict.fromkeys(_declared("FAILURE_LISTENERS")))
