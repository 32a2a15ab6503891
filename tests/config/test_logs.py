"""Request ids, task ids and the JSON log format."""

import copy
import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

from config import health
from config.celery import name_the_database
from config.logs import REQUEST_ID_TASK_HEADER, ContextFilter, request_id
from outbox.tasks import send_notification
from tests.commands import run_manage
from tests.workers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the production handler would write, for loggers named by the test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    configurator = logging.config.DictConfigurator({})
    handler.setFormatter(configurator.configure_formatter(copy.deepcopy(settings.LOGGING["formatters"]["json"])))
    handler.addFilter(ContextFilter())
    attached = []

    def lines(*names):
        for name in names:
            logging.getLogger(name).addHandler(handler)
            attached.append(name)
        return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for name in attached:
        logging.getLogger(name).removeHandler(handler)


def test_response_carries_a_new_request_id(client):
    response = client.get("/readyz")

    assert len(response["X-Request-ID"]) == 32


def test_safe_incoming_request_id_is_kept(client):
    response = client.get("/readyz", HTTP_X_REQUEST_ID="edge-1234-abcd")

    assert response["X-Request-ID"] == "edge-1234-abcd"


@pytest.mark.parametrize("offered", ["bad id with spaces", "x" * 65, "line\nbreak", "<script>"])
def test_unsafe_incoming_request_id_is_replaced(client, offered):
    response = client.get("/readyz", HTTP_X_REQUEST_ID=offered)

    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_during_a_request_carry_its_id_as_json(client, monkeypatch, json_lines, settings):
    settings.CELERY_BROKER_URL = "memory://"
    unreachable = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr(health, "caches", {"default": unreachable})
    read = json_lines("config.health")

    client.get("/healthz", HTTP_X_REQUEST_ID="probe-42")

    line = read()[0]
    assert line["request_id"] == "probe-42"
    assert (line["level"], line["logger"]) == ("WARNING", "config.health")
    assert line["message"] == "Health check: cache unreachable (ConnectionError)."
    assert line["time"].startswith("20")
    assert line["task_id"] is None


def test_log_lines_in_a_task_carry_its_id(json_lines):
    read = json_lines("outbox.delivery")

    result = send_notification.apply(kwargs={"notification_id": 987654, "claim_token": "0" * 32})

    line = read()[0]
    assert line["task_id"] == result.id
    assert line["request_id"] is None


def test_log_format_defaults_to_json_in_production_and_plain_in_development():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "surgeryday.example.org"}
    show = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.LOG_FORMAT)"]

    assert run_manage(*show, env=production).stdout.strip() == "json"
    assert run_manage(*show, env={}).stdout.strip() == "plain"
    assert run_manage(*show, env={**production, "LOG_FORMAT": "plain"}).stdout.strip() == "plain"


def test_log_line_about_a_request_leaves_out_its_query_string(client, json_lines):
    read = json_lines("django.request")

    client.get("/no-such-page/", {"email": "lee.learner@example.org", "name": "Lee Learner"}, HTTP_X_REQUEST_ID="r-404")

    lines = read()
    assert [(line["message"], line["request_id"]) for line in lines] == [("Not Found: /no-such-page/", "r-404")]
    assert "lee.learner" not in repr(lines)


def test_log_lines_in_a_task_carry_the_id_of_the_request_that_queued_it(json_lines):
    read = json_lines("outbox.delivery")

    send_notification.apply(
        kwargs={"notification_id": 987654, "claim_token": "0" * 32}, headers={REQUEST_ID_TASK_HEADER: "req-7"}
    )

    assert read()[0]["request_id"] == "req-7"


def test_task_queued_during_a_request_names_the_request():
    headers = {}
    token = request_id.set("req-8")
    try:
        name_the_database(headers=headers)
    finally:
        request_id.reset(token)

    assert headers[REQUEST_ID_TASK_HEADER] == "req-8"


def test_unknown_log_format_stops_start_up():
    result = run_manage("check", env={"LOG_FORMAT": "xml"})

    assert result.returncode != 0
    assert "LOG_FORMAT must be one of" in result.stderr
