"""Real Chromium driven by Playwright against a live server, with an axe-core scan.

Debian's Chromium is used directly; Playwright never downloads a browser.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by the test itself (arranging data, checking results) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context per test. Any console error (a CSP violation, a
    script error, a missing file) fails the test when it ends."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(8000)
    new_page = context.new_page()
    problems: list[str] = []
    new_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    new_page.on("pageerror", lambda error: problems.append(str(error)))
    yield new_page
    context.close()
    assert problems == [], f"the browser reported errors: {problems}"


def assert_accessible(page) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.x A/AA violation."""
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            }));
        }""",
        AXE_TAGS,
    )
    assert violations == [], f"axe found accessibility problems on {page.url}: {violations}"


def log_in(page, who, password: str | None = None, *, scan: bool = False) -> None:
    """Log in through the real form (as a person or an email address) and wait until the page says so."""

    email = getattr(who, "email", who)
    page.goto("/accounts/login/")
    if scan:
        assert_accessible(page)
    page.get_by_label("Email*", exact=True).fill(email)
    page.get_by_label("Password*", exact=True).fill(password or TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # On a phone the link is behind "Menu", so look for it in the page, seen or not.
    expect(page.locator('a[href="/accounts/logout/"]').first).to_be_attached()


def log_out(page):
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()


def assert_fits_width(page) -> None:
    """WCAG 1.4.10 reflow: nothing widens the page beyond the screen on a phone."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide on a {widths[1]}px screen"
