"""Error reports leave without personal data. Nothing here touches the network."""

import sentry_sdk
from sentry_sdk.transport import Transport

from config.sentry import scrub_event, sentry_options
from tests.commands import run_manage

EMAIL = "lee.learner@example.org"


def _sample_event() -> dict:
    return {
        "message": "boom",
        "request": {
            "url": f"https://surgeryday.example.org/people/search/?q={EMAIL}",
            "method": "POST",
            "query_string": f"q={EMAIL}",
            "data": {"email": EMAIL, "access_needs": "wheelchair user"},
            "cookies": {"sessionid": "abc123"},
            "headers": {
                "Cookie": "sessionid=abc123",
                "Authorization": "Bearer secret",
                "Referer": f"https://surgeryday.example.org/?email={EMAIL}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Request-ID": "req-1",
            },
            "env": {"REMOTE_ADDR": "198.51.100.7"},
        },
        "user": {"id": 42, "email": EMAIL, "username": "Lee Learner", "ip_address": "198.51.100.7"},
    }


def test_scrub_event_removes_personal_data():
    event = scrub_event(_sample_event(), {})

    assert event["request"] == {
        "method": "POST",
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "X-Request-ID": "req-1"},
    }
    assert event["user"] == {"id": 42}
    assert EMAIL not in repr(event)
    assert "198.51.100.7" not in repr(event)


def test_scrub_event_drops_addresses_that_carry_tokens_and_earlier_log_lines():
    reset_key = "3-c7x9k2-8f1e2d3c4b5a69788796a5b4c3d2e1f0"
    event = {
        "transaction": "/accounts/password/reset/key/{uidb36}-{key}/",
        "request": {"url": f"https://surgeryday.example.org/accounts/password/reset/key/{reset_key}/"},
        "breadcrumbs": {"values": [{"message": f"Not Found: /invitations/{reset_key}/ for {EMAIL}"}]},
    }

    scrubbed = scrub_event(event, {})

    assert reset_key not in repr(scrubbed)
    assert EMAIL not in repr(scrubbed)
    assert scrubbed["transaction"] == "/accounts/password/reset/key/{uidb36}-{key}/"


def test_scrub_event_masks_values_quoted_in_error_messages():
    detail = (
        'duplicate key value violates unique constraint "people_user_email_key"\n'
        f"DETAIL:  Key (email)=({EMAIL}) already exists."
    )
    event = {
        "exception": {"values": [{"type": "IntegrityError", "value": detail}]},
        "logentry": {"message": "Could not book %s", "params": [EMAIL], "formatted": f"Could not book {EMAIL}"},
        "message": "Phone clash: Key (phone)=(07700 900123) already exists",
    }

    scrubbed = scrub_event(event, {})

    assert EMAIL not in repr(scrubbed)
    assert "07700 900123" not in repr(scrubbed)
    assert scrubbed["exception"]["values"][0]["value"].endswith("Key (email)=([value]) already exists.")
    assert scrubbed["logentry"] == {"message": "Could not book %s", "formatted": "Could not book [email]"}


def test_scrub_event_without_request_or_user_is_left_alone():
    assert scrub_event({"message": "boom"}, {}) == {"message": "boom"}


def test_sentry_is_told_not_to_collect_personal_data():
    options = sentry_options(dsn="https://key@sentry.example.org/1", environment="production")

    assert options.get("send_default_pii", False) is False
    assert options["include_local_variables"] is False
    assert options["before_send"] is scrub_event


class _Kept(Transport):
    """Keeps envelopes in memory instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


def test_captured_error_reaches_the_transport_scrubbed():
    options = sentry_options(dsn="https://key@sentry.example.org/1", environment="test")
    options.pop("integrations")
    transport = _Kept()
    client = sentry_sdk.Client(**options, transport=transport, default_integrations=False)

    with sentry_sdk.new_scope() as scope:
        scope.set_client(client)
        scope.set_user({"id": 42, "email": EMAIL})
        sentry_sdk.capture_event(_sample_event())
        client.flush()

    sent = transport.envelopes[0].get_event()
    assert client.should_send_default_pii() is False
    assert sent["user"] == {"id": 42}
    assert EMAIL not in repr(sent)


def test_site_starts_with_a_sentry_dsn():
    # A loopback DSN: even if something were sent, it would go nowhere.
    result = run_manage(
        "shell", "--no-imports", "-c", "import sentry_sdk; print(sentry_sdk.get_client().is_active())",
        env={"SENTRY_DSN": "http://key@127.0.0.1:9/1"},
    )  # fmt: skip

    assert (result.returncode, result.stdout.strip()) == (0, "True")
