import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL_ASSET = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", re.IGNORECASE)


def test_pages_forbid_inline_scripts_and_other_origins(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_are_not_framed_and_do_not_sniff(client):
    response = client.get(reverse("home"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_loads_an_asset_from_another_site():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")

    offenders = [str(path) for path in templates if EXTERNAL_ASSET.search(path.read_text())]

    assert offenders == []


def test_forms_post_with_a_csrf_token(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page


def test_missing_page_is_explained_in_plain_english(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
