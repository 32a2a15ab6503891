"""Optional error reports to Sentry, only when SENTRY_DSN is set.

Sentry is another organisation's service: nothing about a person may reach it. The
SDK is told not to collect personal data, and `scrub_event` removes what could
still carry some (request bodies, cookies, query strings, headers, user fields
other than the id) from every event before it leaves.
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# Request headers that say nothing about who is asking.
KEPT_HEADERS = frozenset({"accept", "content-length", "content-type", "x-request-id"})


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if "url" in request:
            request["url"] = request["url"].split("?", 1)[0]
        if "headers" in request:
            request["headers"] = {
                name: value for name, value in request["headers"].items() if name.lower() in KEPT_HEADERS
            }
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
