"""Prometheus metrics at /metrics: request counts and latency, and the outbox by state.

Labels name the route (`matchmaking:confirm`), never the path, so no id or personal
detail ends up in a label. Under gunicorn every worker process counts its own
requests; with PROMETHEUS_MULTIPROC_DIR set, prometheus-client keeps those counts
in files there and a scrape adds them up (docs/operations.md).
"""

import hmac
import logging
import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

logger = logging.getLogger(__name__)

REQUESTS = Counter(
    "surgeryday_http_requests_total",
    "HTTP requests answered, by route name, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "surgeryday_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# Anything else a client might send would make a label of its own.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Headers a reverse proxy adds: a request that passed through one did not come from
# the address it arrives from, so the address allowance does not apply to it.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


class OutboxCollector:
    """Read at scrape time from the database, so every process reports the same truth."""

    def collect(self) -> Iterator[Metric]:
        # Imported here, not at the top: the gunicorn config imports this module for
        # its hook before Django is set up, when models cannot be imported yet.
        from outbox.selectors import last_sweep_at, notification_counts_by_state, outbox_backlog  # noqa: PLC0415 -- before setup

        now = timezone.now()
        try:
            counts, backlog, swept_at = notification_counts_by_state(), outbox_backlog(now=now), last_sweep_at()
        except DatabaseError as error:
            # The request metrics are still worth a scrape; /healthz names the database.
            logger.warning("Metrics: outbox unreadable (%s).", type(error).__name__)
            return
        by_state = GaugeMetricFamily(
            "surgeryday_outbox_notifications", "Notifications in the outbox, by state.", labels=["state"]
        )
        for state, total in counts.items():
            by_state.add_metric([state], total)
        yield by_state
        yield GaugeMetricFamily(
            "surgeryday_outbox_oldest_due_seconds",
            "Age of the oldest pending notification whose due time has passed (0 if none).",
            value=backlog.oldest_due_seconds,
        )
        if swept_at is not None:
            yield GaugeMetricFamily(
                "surgeryday_scheduler_last_sweep_seconds",
                "Seconds since the outbox sweep last finished.",
                value=(now - swept_at).total_seconds(),
            )


class _ThisProcess:
    """The default registry, forwarded into a scrape's own registry."""

    def collect(self) -> Iterator[Metric]:
        return REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(OutboxCollector())
    return registry


def scrape_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to METRICS_TOKEN, or a direct request from METRICS_ALLOWED_IPS."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    if any(request.META.get(header) for header in PROXY_HEADERS):
        return False
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not scrape_allowed(request):
        # Not found rather than forbidden: a stranger learns nothing about what is here.
        # A plain answer, not the site's 404 page: that needs middleware probes skip.
        return HttpResponseNotFound("Not found", content_type="text/plain")
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    """Count each request and time it, labelled by route name and status class."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        labels = {
            "view": view_label(request),
            "method": request.method if request.method in KNOWN_METHODS else "other",
            "status": f"{response.status_code // 100}xx",
        }
        REQUESTS.labels(**labels).inc()
        LATENCY.labels(**labels).observe(time.perf_counter() - started)
        return response


def gunicorn_child_exit(server, worker) -> None:
    """gunicorn's `child_exit` hook: forget a dead worker's live gauges in multiprocess mode.

    In the gunicorn config file: `from config.metrics import gunicorn_child_exit as child_exit`.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        mark_process_dead(worker.pid)
