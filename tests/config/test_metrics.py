"""/metrics: who may read it, and what it says."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client import generate_latest

from config import metrics
from outbox.models import Notification
from outbox.services import sweep_heartbeat_record
from tests.factories import SurgeryDayFactory, day_reminder

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.9"


def test_metrics_stranger_is_refused(client):
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE)

    assert response.status_code == 404
    # Not the site's page, which needs the middleware that probes skip.
    assert response["Content-Type"] == "text/plain"


def test_metrics_wrong_token_is_refused(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-tokem")

    assert response.status_code == 404


def test_metrics_empty_token_setting_accepts_no_token(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 404


def test_metrics_right_token_is_let_in_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-token")

    assert response.status_code == 200


def test_metrics_loopback_is_let_in(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_metrics_request_relayed_by_a_proxy_is_not_trusted_for_its_address(client):
    # nginx on the same machine connects from 127.0.0.1 on behalf of anyone.
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE)

    assert response.status_code == 404


def test_metrics_reports_the_outbox_by_state(client, learner):
    day_reminder(learner, due_at=timezone.now() - timedelta(seconds=90))
    day_reminder(learner, due_at=timezone.now() - timedelta(hours=2), state=Notification.State.FAILED)
    sweep_heartbeat_record(at=timezone.now())

    body = client.get("/metrics").content.decode()

    assert 'surgeryday_outbox_notifications{state="pending"} 1.0' in body
    assert 'surgeryday_outbox_notifications{state="failed"} 1.0' in body
    assert 'surgeryday_outbox_notifications{state="sent"} 0.0' in body
    assert "surgeryday_outbox_oldest_due_seconds 9" in body
    assert "surgeryday_scheduler_last_sweep_seconds" in body


def test_metrics_label_requests_by_route_name_not_path(client, organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation)
    client.force_login(organiser)
    client.get(f"/days/{day.pk}/notifications/?email=someone@example.org")

    body = client.get("/metrics").content.decode()

    assert 'surgeryday_http_requests_total{method="GET",status="2xx",view="day_notifications"}' in body
    labels = 'method="GET",status="2xx",view="day_notifications"'
    assert f'surgeryday_http_request_duration_seconds_bucket{{le="0.01",{labels}}}' in body
    assert f"/days/{day.pk}" not in body
    assert "someone@example.org" not in body


def test_metrics_unmatched_paths_share_one_label(client):
    # Letters, not digits: a number could turn up inside a sample's value by chance.
    client.get("/no-such-page/lee-learner-private/")

    body = client.get("/metrics").content.decode()

    assert 'view="unmatched"' in body
    assert "lee-learner-private" not in body


@pytest.mark.parametrize("rows", [0, 20])
def test_metrics_query_count_is_constant(client, learner, django_assert_num_queries, rows):
    for hours in range(rows):
        day_reminder(learner, due_at=timezone.now() - timedelta(hours=hours))

    # Counts by state, the outbox aggregate, the heartbeat.
    with django_assert_num_queries(3):
        response = client.get("/metrics")

    assert response.status_code == 200


def test_metrics_multiprocess_mode_adds_up_worker_files(monkeypatch, tmp_path, learner):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    day_reminder(learner, due_at=timezone.now())

    body = generate_latest(metrics.scrape_registry()).decode()

    # No worker has written a file yet: only what the database says.
    assert 'surgeryday_outbox_notifications{state="pending"} 1.0' in body
    assert "surgeryday_http_requests_total" not in body


def test_gunicorn_child_exit_forgets_the_dead_worker(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "gauge_livesum_4343.db").write_bytes(b"")

    metrics.gunicorn_child_exit(server=None, worker=type("Worker", (), {"pid": 4242})())

    assert sorted(path.name for path in tmp_path.iterdir()) == ["gauge_livesum_4343.db"]
