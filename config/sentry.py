"""Optional error reports to Sentry, only when SENTRY_DSN is set.

Sentry is another organisation's service: nothing about a person may reach it. The
SDK is told not to collect personal data, and `scrub_event` removes what could
still carry some from every event before it leaves: request bodies, cookies, query
strings, headers, user fields other than the id, the address itself (paths carry
invitation tokens and password-reset keys; the event's transaction names the route),
breadcrumbs (earlier log lines), and email addresses or database key values quoted in
error messages (an IntegrityError's DETAIL names the clashing value).
"""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# Request headers that say nothing about who is asking.
KEPT_HEADERS = frozenset({"accept", "content-length", "content-type", "x-request-id"})
EMAIL_ADDRESS = re.compile(r"[^\s@()<>\"',;:]+@[^\s@()<>\"',;:]+")
# PostgreSQL's "Key (email)=(lee@example.org) already exists" and its kin.
KEY_VALUE = re.compile(r"\)=\((.*?)\)(?= |$|\.)", re.MULTILINE)


def scrub_text(text: str) -> str:
    return EMAIL_ADDRESS.sub("[email]", KEY_VALUE.sub(")=([value])", text))


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        request.pop("url", None)
        if "headers" in request:
            request["headers"] = {
                name: value for name, value in request["headers"].items() if name.lower() in KEPT_HEADERS
            }
    event.pop("breadcrumbs", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub_text(exception["value"])
    if isinstance(event.get("message"), str):
        event["message"] = scrub_text(event["message"])
    logentry = event.get("logentry")
    if logentry:
        # The arguments are the values themselves; the message alone says what happened.
        logentry.pop("params", None)
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = scrub_text(logentry[key])
    if "user" in event:
        user_id = (event["user"] or {}).get("id")
        event["user"] = {"id": user_id} if user_id is not None else {}
    return event


def sentry_options(*, dsn: str, environment: str) -> dict[str, Any]:
    return {
        "dsn": dsn,
        "environment": environment,
        # send_default_pii stays at its default, False: this SDK version deprecates
        # setting it, and leaving it unset also keeps the SDK's own scrubber on.
        # A stack frame's variables can hold an email address or a profile.
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": scrub_event,
        # Errors only: no performance tracing.
        "traces_sample_rate": 0,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
    }


def sentry_init(*, dsn: str, environment: str) -> None:
    sentry_sdk.init(**sentry_options(dsn=dsn, environment=environment))
