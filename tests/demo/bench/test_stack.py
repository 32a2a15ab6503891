import os

import pytest

from demo.bench.stack import bench_database_url, rss_kib, worker_pids


def test_bench_database_url_appends_bench_to_the_name():
    url = bench_database_url("postgres://postgres@127.0.0.1:5432/surgeryday")

    assert url == "postgres://postgres@127.0.0.1:5432/surgeryday_bench"


def test_bench_database_url_refuses_sqlite():
    with pytest.raises(ValueError, match="PostgreSQL"):
        bench_database_url("sqlite:///var/surgeryday.sqlite3")


def test_rss_of_this_process_is_reported_and_of_no_process_is_zero():
    assert rss_kib(os.getpid()) > 1000
    assert rss_kib(2**22 + 1) == 0


def test_worker_pids_finds_children():
    assert os.getpid() in worker_pids(os.getppid())
