import pytest


def test_bench_urls_serve_the_trivial_page(client, settings):
    settings.ROOT_URLCONF = "config.bench_urls"

    response = client.get("/bench/trivial")

    assert (response.status_code, response.content) == (200, b"ok\n")


@pytest.mark.django_db
def test_bench_urls_keep_the_site(client, settings):
    settings.ROOT_URLCONF = "config.bench_urls"

    assert client.get("/").status_code == 200


def test_the_site_has_no_trivial_page(client):
    assert client.get("/bench/trivial").status_code == 404
