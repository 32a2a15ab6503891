"""Settings are read at start-up, so each case runs Django in a fresh process."""

from tests.commands import PRODUCTION_ENV, run_manage


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_misspelt_boolean_stops_start_up():
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_production_settings_pass_deploy_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _broker_url(env: dict[str, str]) -> str:
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.CELERY_BROKER_URL)", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_broker_defaults_to_the_redis_of_the_cache():
    assert _broker_url(PRODUCTION_ENV) == "redis://127.0.0.1:6379/0"


def test_broker_url_sends_tasks_to_a_separate_broker():
    env = {**PRODUCTION_ENV, "BROKER_URL": "amqp://surgeryday:secret@127.0.0.1:5672/surgeryday"}

    assert _broker_url(env) == "amqp://surgeryday:secret@127.0.0.1:5672/surgeryday"


def test_root_urlconf_takes_only_the_site_or_the_bench_urls():
    result = run_manage("check", env={"ROOT_URLCONF": "people.urls"})
    assert result.returncode != 0
    assert "ROOT_URLCONF must be one of config.urls, config.bench_urls" in result.stderr
