"""Health signals: /healthz for monitoring, /readyz for load balancers.

Neither needs a log-in, and neither says anything about anyone: only whether each
moving part answers, and numbers about the outbox. What each field means, and the
thresholds, are in docs/operations.md.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

import kombu
import redis
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve
from django.utils import timezone
from django.views.decorators.cache import never_cache

from outbox.selectors import last_sweep_at, outbox_backlog

logger = logging.getLogger(__name__)

OK, ERROR, NOT_USED = "ok", "error", "not used"
CACHE_PROBE_KEY = "healthz-probe"
# Seconds the broker ping may take before the broker counts as down.
BROKER_TIMEOUT_SECONDS = 2
# Answered by ProbeMiddleware before the rest of the stack.
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


@dataclass(frozen=True)
class Health:
    parts: dict[str, object]
    failing: list[str]


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: database unreachable (%s).", type(error).__name__)
        return False
    return True


def cache_ok() -> bool:
    cache = caches["default"]
    try:
        cache.set(CACHE_PROBE_KEY, "1", timeout=30)
        answered = cache.get(CACHE_PROBE_KEY) == "1"
    except Exception as error:
        # Only the class: a Redis error message can quote the URL and its password.
        logger.warning("Health check: cache unreachable (%s).", type(error).__name__)
        return False
    return answered


def broker_state() -> str:
    """ "not used" when tasks run in-process (no REDIS_URL); otherwise the broker answers:
    a Redis PING, or for another broker (RabbitMQ through BROKER_URL) a connection."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return NOT_USED
    try:
        if url.startswith(("redis://", "rediss://")):
            _ping_redis(url)
        else:
            with kombu.Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
                connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:
        logger.warning("Health check: broker unreachable (%s).", type(error).__name__)
        return ERROR
    return OK


def _ping_redis(url: str) -> None:
    client = redis.Redis.from_url(
        url, socket_timeout=BROKER_TIMEOUT_SECONDS, socket_connect_timeout=BROKER_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()


def health_report(*, now: datetime) -> Health:
    """Check every part; the outbox and the scheduler only if the database answers."""
    parts: dict[str, object] = {
        "database": OK if database_ok() else ERROR,
        "cache": OK if cache_ok() else ERROR,
        "broker": broker_state(),
        "outbox": {"oldest_due_seconds": None, "failed": None},
        "scheduler": {"last_sweep_seconds_ago": None},
    }
    failing = [name for name in ("database", "cache", "broker") if parts[name] == ERROR]
    if parts["database"] == OK:
        try:
            backlog = outbox_backlog(now=now)
            swept_at = last_sweep_at()
        except DatabaseError as error:
            logger.warning("Health check: outbox unreadable (%s).", type(error).__name__)
            return Health(parts=parts, failing=[*failing, "outbox", "scheduler"])
        swept_ago = max(0, int((now - swept_at).total_seconds())) if swept_at else None
        parts["outbox"] = {"oldest_due_seconds": backlog.oldest_due_seconds, "failed": backlog.failed}
        parts["scheduler"] = {"last_sweep_seconds_ago": swept_ago}
        if backlog.oldest_due_seconds > settings.HEALTH_OUTBOX_LATE_SECONDS:
            failing.append("outbox")
        # Never swept counts as late: a scheduler that never started is what this catches.
        if swept_ago is None or swept_ago > settings.HEALTH_SWEEP_LATE_SECONDS:
            failing.append("scheduler")
    return Health(parts=parts, failing=failing)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    health = health_report(now=timezone.now())
    if not health.failing:
        return JsonResponse({"status": OK, **health.parts})
    return JsonResponse({"status": ERROR, **health.parts, "failing": health.failing}, status=503)


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    ready = database_ok()
    return HttpResponse(OK if ready else ERROR, content_type="text/plain", status=200 if ready else 503)


class ProbeMiddleware:
    """Answer the probe URLs before the rest of the middleware stack.

    A load balancer or a local scraper asks over plain HTTP with whatever Host header
    it likes (often 127.0.0.1), so these answers must not depend on ALLOWED_HOSTS,
    the HTTPS redirect, sessions or CSRF; and skipping them keeps each probe to the
    queries of its checks. The responses use nothing from the Host header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in PROBE_PATHS:
            return self.get_response(request)
        match = resolve(request.path_info)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)
