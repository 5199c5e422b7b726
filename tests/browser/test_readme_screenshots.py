"""The README's theme screenshots: taken from a seeded site, small enough to keep in git."""

from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs" / "screenshots"
MAX_BYTES = 200 * 1024


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_theme_screenshot_for_readme(seeded_site, browser, use_theme, screenshot, theme):
    """Ensures that a call page screenshot of each theme can be taken and stays well under 200 KB.

    Copy ``readme-<theme>.png`` from the run's folder (``test-output/screenshots/<run id>/``,
    printed at the end of the run) to ``docs/screenshots/<theme>.png`` to refresh the README.
    """
    use_theme(theme)
    context = browser.new_context(viewport={"width": 1000, "height": 720})
    page = context.new_page()
    page.goto(seeded_site.url(seeded_site.call.url))
    path = screenshot(page, f"readme-{theme}", full_page=False)
    context.close()
    assert path.stat().st_size < MAX_BYTES


def test_readme_shows_each_theme():
    """Ensures that the README embeds a committed, small screenshot of every shipped theme."""
    from interlink_themes.registry import THEMES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    themes_doc = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    for name in [*THEMES, *(f"{theme}-translated" for theme in THEMES)]:
        image = DOCS / f"{name}.png"
        assert f"docs/screenshots/{name}.png" in readme, name
        if name.endswith("-translated"):  # a translated page in each theme, in docs/themes.md too
            assert f"screenshots/{name}.png" in themes_doc, name
        assert image.exists() and 0 < image.stat().st_size < MAX_BYTES, image
        assert Path(image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
