"""Smoke test of the browser infrastructure: live server, Chromium, axe-core."""

import pytest

from .conftest import format_violations

pytestmark = pytest.mark.browser


def test_call_page_loads_and_axe_runs(seeded_site, page, axe):
    """Ensures that Chromium loads a seeded call page from the live server and axe-core reports on it."""
    response = page.goto(seeded_site.url(seeded_site.call.url))
    assert response.status == 200
    assert page.locator("h1").inner_text() == seeded_site.call.title
    violations = axe(page)
    assert violations == [], format_violations(violations)


def test_skip_link_is_first_tab_stop(seeded_site, page):
    """Ensures that the first Tab press focuses a visible skip link that leads to the main content."""
    page.goto(seeded_site.url(seeded_site.call_index.url))
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == "#main"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
