"""Request ids on responses and on every log line made while answering, and task ids
on every log line a Celery task makes. A task queued while answering a request
carries that request's id too (config/celery.py puts it on the message).

The id lives in a context variable, so concurrent requests in threads never share
one; `ContextFilter` (attached to the handlers in settings.LOGGING) copies it onto
each record for the formatter.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from celery import current_task
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# The task message header carrying the id of the request that queued the task.
REQUEST_ID_TASK_HEADER = "surgeryday_request_id"
# Only what cannot smuggle anything into a log line or a header.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_from(offered: str | None) -> str:
    """The id a proxy in front already gave this request if it is safe, else a new one."""
    if offered and SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # Also on the request: Django logs a response's status after this middleware
        # has returned, with the request attached to the record.
        request.request_id = current
        token = request_id.set(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = current
        return response


class ContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` (None outside a request or a task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        task = current_task._get_current_object() if current_task else None
        record.task_id = getattr(task.request, "id", None) if task is not None else None
        record.request_id = (
            request_id.get()
            or getattr(getattr(record, "request", None), "request_id", None)
            or (message_header(task.request, REQUEST_ID_TASK_HEADER) if task is not None else None)
        )
        return True


def message_header(task_request, name: str) -> str | None:
    """A custom header of the task message being run: a worker puts custom headers
    on the request itself, `Task.apply(headers=...)` under `headers`."""
    return getattr(task_request, name, None) or (getattr(task_request, "headers", None) or {}).get(name)
