"""Notification kinds: declared as data by each app, collected once by the outbox."""

import dataclasses
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from outbox import registry
from outbox.checks import notification_kinds_check
from outbox.registry import NOTICE_SEND_WITHIN, NotificationKind, kinds_by_name
from surgeries.notifications.failures import failure_digest_schedule

# Every kind the site sends today (docs/reminders.md), so a module the outbox stops
# finding, or a kind renamed by mistake, fails here rather than at the first send.
EXPECTED_KINDS = [
    "directory.join_approved",
    "directory.join_declined",
    "directory.join_requested",
    "people.directory_message",
    "surgeries.booking_cancelled",
    "surgeries.booking_confirmed",
    "surgeries.booking_received",
    "surgeries.day_cancelled",
    "surgeries.day_message",
    "surgeries.day_message_essential",
    "surgeries.day_reminder",
    "surgeries.day_sheet",
    "surgeries.failure_digest",
    "surgeries.feedback_request",
    "surgeries.session_reminder",
    "surgeries.surgeon_reminder",
    "surgeries.surgeon_withdrew",
    "surgeries.waiting_list_place",
    "workshops.feedback_request",
    "workshops.place_cancelled",
    "workshops.registration_cancelled",
    "workshops.registration_confirmed",
    "workshops.reminder",
    "workshops.waiting_list_cancelled",
    "workshops.waiting_list_place",
    "workshops.workshop_cancelled",
    "workshops.workshop_moved",
    "workshops.workshop_moved_facilitator",
]


def _kind(name="tests.notice", **changes):
    fields = {
        "name": name,
        "essential": True,
        "send_within": NOTICE_SEND_WITHIN,
        "template": "day_cancelled",
        "build_context": lambda notification, subject, recipient: {},
        "is_live": lambda subject: True,
    }
    return NotificationKind(**{**fields, **changes})


def _declared_by_apps():
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "notifications"):
            yield from import_module(f"{config.name}.notifications").KINDS


@pytest.fixture
def fresh_collection():
    """Collect again from the modules as a test leaves them, and again after it."""
    registry._kinds.cache_clear()
    yield
    registry._kinds.cache_clear()


def test_kinds_by_name_keeps_a_kind_listed_twice_once():
    kind = _kind()

    assert kinds_by_name([kind, kind, dataclasses.replace(kind)]) == {"tests.notice": kind}


def test_kinds_by_name_two_different_kinds_under_one_name_fail():
    with pytest.raises(ImproperlyConfigured, match=r"'tests\.notice'"):
        kinds_by_name([_kind(), _kind(template="day_reminder")])


def test_every_kind_declared_by_an_installed_app_is_collected():
    declared = list(_declared_by_apps())

    assert declared
    assert {kind.name: registry.get_kind(kind.name) for kind in declared} == {kind.name: kind for kind in declared}


def test_registered_kinds_are_every_kind_the_site_sends():
    assert sorted(registry.registered_kinds()) == EXPECTED_KINDS


def test_kinds_check_passes_on_the_installed_apps(fresh_collection):
    assert notification_kinds_check(None) == []


def test_kinds_check_fails_when_an_app_declares_a_name_twice_differently(monkeypatch, fresh_collection):
    module = import_module("workshops.notifications")
    clash = dataclasses.replace(module.KINDS[0], template="day_reminder")
    monkeypatch.setattr(module, "KINDS", (*module.KINDS, clash))

    errors = notification_kinds_check(None)

    assert [(error.id, error.msg) for error in errors] == [
        ("outbox.E001", f"Two different notification kinds are declared as {clash.name!r}.")
    ]


def test_failure_listeners_are_collected_from_the_apps():
    assert registry.failure_listeners() == (failure_digest_schedule,)
