"""The deployment files in deploy/ agree with the settings and run without optional parts."""

import re
import runpy
import types
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def _gunicorn_config() -> dict:
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_env_example_lists_every_variable_the_settings_read():
    source = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\("([A-Z_]+)"', source))
    example = (DEPLOY / "surgeryday.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z_]+)=", example, flags=re.MULTILINE))

    assert sorted(read - listed) == []


def test_gunicorn_access_log_leaves_out_query_strings_and_referrers():
    log_format = _gunicorn_config()["access_log_format"]

    assert "%(U)s" in log_format
    for leaky in ("%(r)s", "%(q)s", "%(f)s"):
        assert leaky not in log_format


def test_gunicorn_binds_where_the_environment_says(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8002")

    assert _gunicorn_config()["bind"] == ["127.0.0.1:8002"]


def test_gunicorn_child_exit_tells_metrics_the_worker_is_gone(monkeypatch, tmp_path):
    dead = []
    monkeypatch.setattr("config.metrics.mark_process_dead", dead.append)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    _gunicorn_config()["child_exit"](server=None, worker=types.SimpleNamespace(pid=4242))

    assert dead == [4242]


def test_gunicorn_child_exit_without_multiprocess_directory_does_nothing(monkeypatch):
    dead = []
    monkeypatch.setattr("config.metrics.mark_process_dead", dead.append)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

    _gunicorn_config()["child_exit"](server=None, worker=types.SimpleNamespace(pid=4242))

    assert dead == []


def _worker_groups() -> dict[str, set[str]]:
    script = (DEPLOY / "worker.sh").read_text()
    return {
        group: set(queues.split(",")) for group, queues in re.findall(r"^  (\w+)\) queues=([\w,-]+) ;;", script, re.M)
    }


def test_worker_groups_other_than_all_serve_every_queue_between_them():
    groups = _worker_groups()
    served = set().union(*(queues for group, queues in groups.items() if group != "all"))

    assert served == set(settings.CELERY_TASK_QUEUES)
    assert groups["all"] == set(settings.CELERY_TASK_QUEUES)


def test_procfile_runs_every_worker_group():
    procfile = (Path(settings.BASE_DIR) / "Procfile").read_text()
    started = set(re.findall(r"deploy/worker\.sh (\w+)", procfile))

    assert started == set(_worker_groups()) - {"all"}
