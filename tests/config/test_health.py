"""/healthz and /readyz: what an operator's monitor and a load balancer see."""

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError
from django.utils import timezone

from config import health
from outbox.models import Notification
from outbox.services import sweep_heartbeat_record
from outbox.sweep import send_inline, sweep_due
from tests.commands import run_manage
from tests.factories import day_reminder
from tests.workers import free_port

pytestmark = pytest.mark.django_db

State = Notification.State


@pytest.fixture(autouse=True)
def _embedded_broker(settings):
    # The broker is pinged only when there is one; tests that want one set it.
    settings.CELERY_BROKER_URL = "memory://"


@pytest.fixture
def swept_just_now():
    sweep_heartbeat_record(at=timezone.now())


def _closed_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def test_healthz_all_parts_ok(client, swept_just_now):
    response = client.get("/healthz")

    body = response.json()
    swept_ago = body["scheduler"].pop("last_sweep_seconds_ago")
    assert response.status_code == 200
    assert 0 <= swept_ago < 5
    assert body == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "not used",
        "outbox": {"oldest_due_seconds": 0, "failed": 0},
        "scheduler": {},
    }


def test_healthz_is_never_cached_and_sets_no_cookie(client, learner, swept_just_now):
    client.force_login(learner)

    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}


def test_healthz_reports_the_database_down(client, monkeypatch, swept_just_now):
    monkeypatch.setattr(health, "database_ok", lambda: False)

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert (body["status"], body["database"], body["failing"]) == ("error", "error", ["database"])


def test_healthz_reports_the_cache_down_quickly(client, monkeypatch, swept_just_now):
    unreachable = RedisCache(_closed_redis_url(), {"OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}})
    monkeypatch.setattr(health, "caches", {"default": unreachable})
    started = time.monotonic()

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert (body["cache"], body["failing"]) == ("error", ["cache"])
    assert time.monotonic() - started < 3


def test_healthz_reports_the_broker_down_quickly(client, settings, swept_just_now):
    settings.CELERY_BROKER_URL = _closed_redis_url()
    started = time.monotonic()

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert (body["broker"], body["failing"]) == ("error", ["broker"])
    assert time.monotonic() - started < 3


@pytest.mark.redis
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="set REDIS_URL to ping a real broker")
def test_healthz_pings_a_real_broker(client, settings, swept_just_now):
    settings.CELERY_BROKER_URL = django_settings.REDIS_URL

    response = client.get("/healthz")

    assert (response.status_code, response.json()["broker"]) == (200, "ok")


def test_healthz_reports_a_late_outbox(client, settings, learner, swept_just_now):
    settings.HEALTH_OUTBOX_LATE_SECONDS = 300
    day_reminder(learner, due_at=timezone.now() - timedelta(seconds=400))

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["failing"] == ["outbox"]
    assert 400 <= body["outbox"]["oldest_due_seconds"] < 410


def test_healthz_counts_failed_but_ignores_future_and_finished_rows(client, learner, swept_just_now):
    day_reminder(learner, due_at=timezone.now() + timedelta(hours=1))
    day_reminder(learner, due_at=timezone.now() - timedelta(hours=2), state=State.FAILED)
    day_reminder(learner, due_at=timezone.now() - timedelta(hours=3), state=State.SENT)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["outbox"] == {"oldest_due_seconds": 0, "failed": 1}


def test_healthz_reports_a_late_scheduler(client, settings):
    settings.HEALTH_SWEEP_LATE_SECONDS = 180
    sweep_heartbeat_record(at=timezone.now() - timedelta(seconds=200))

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["failing"] == ["scheduler"]
    assert 200 <= body["scheduler"]["last_sweep_seconds_ago"] < 210


def test_healthz_reports_a_scheduler_that_never_swept(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert (body["failing"], body["scheduler"]) == (["scheduler"], {"last_sweep_seconds_ago": None})


def test_sweep_records_the_heartbeat(client):
    sweep_due(dispatch=send_inline, now=timezone.now() - timedelta(days=3))

    response = client.get("/healthz")

    assert response.json()["scheduler"]["last_sweep_seconds_ago"] < 5


def test_healthz_body_names_nobody(client, learner, swept_just_now):
    day_reminder(learner, due_at=timezone.now() - timedelta(hours=2), state=State.FAILED)

    body = client.get("/healthz").content.decode()

    assert learner.email not in body
    assert learner.display_name not in body


@pytest.mark.parametrize("rows", [0, 20])
def test_healthz_query_count_is_constant(client, learner, swept_just_now, django_assert_num_queries, rows):
    for hours in range(rows):
        day_reminder(learner, due_at=timezone.now() - timedelta(hours=hours), state=State.FAILED)

    # SELECT 1, the outbox aggregate, the heartbeat.
    with django_assert_num_queries(3):
        response = client.get("/healthz")

    assert response.json()["outbox"]["failed"] == rows


def test_probes_answer_plain_http_from_any_host(client, settings, swept_just_now):
    settings.ALLOWED_HOSTS = ["surgeryday.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    healthz = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    readyz = client.get("/readyz", HTTP_HOST="127.0.0.1:8000")

    assert (healthz.status_code, readyz.status_code) == (200, 200)


def test_other_pages_still_check_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["surgeryday.example.org"]

    response = client.get("/", HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 400


def test_readyz_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")

    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-store" in response["Cache-Control"]


def test_readyz_database_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)

    response = client.get("/readyz")

    assert (response.status_code, response.content) == (503, b"error")


def test_healthz_unknown_method_is_not_a_server_error(client, swept_just_now):
    response = client.post("/healthz")

    assert response.status_code < 500


def test_sweep_late_threshold_follows_the_sweep_interval():
    code = "from django.conf import settings; print(settings.HEALTH_SWEEP_LATE_SECONDS)"
    show = ["shell", "--no-imports", "-c", code]

    assert run_manage(*show, env={"NOTIFICATION_SWEEP_SECONDS": "20"}).stdout.strip() == "60"
    assert run_manage(*show, env={"HEALTH_SWEEP_LATE_SECONDS": "45"}).stdout.strip() == "45"


def test_healthz_reports_a_rabbitmq_broker_that_does_not_answer(client, settings, swept_just_now):
    # Port 9 (discard) has no listener here: an AMQP broker that is down.
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:9//"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert (response.json()["broker"], response.json()["failing"]) == ("error", ["broker"])
