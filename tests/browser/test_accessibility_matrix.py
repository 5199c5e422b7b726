"""Every public template × theme × language passes axe-core (WCAG 2.1 A/AA) with zero violations.

One test per theme and language: it seeds the site once, then visits every template in one
browser page, runs axe, checks the structural rules axe cannot (one h1, heading order,
lang, landmarks) and saves a screenshot to ``test-output/screenshots/`` (or
``$INTERLINK_SCREENSHOT_DIR``).
"""

import pytest

from interlink_blocks.participation import tokens

from .conftest import format_violations

pytestmark = pytest.mark.browser

THEMES = ["civic", "contrast"]
LANGUAGES = ["en", "es", "it", "lv"]

STRUCTURE_JS = """() => {
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .filter(h => h.offsetParent !== null || getComputedStyle(h).position === 'fixed')
        .map(h => Number(h.tagName[1]));
    const skips = [];
    headings.forEach((level, i) => { if (i && level > headings[i - 1] + 1) skips.push([headings[i - 1], level]); });
    const skip = document.querySelector('a.skip-link');
    return {
        lang: document.documentElement.lang,
        h1: document.querySelectorAll('h1').length,
        firstHeading: headings[0],
        skips,
        main: document.querySelectorAll('main').length,
        banner: document.querySelectorAll('body > header, [role=banner]').length,
        contentinfo: document.querySelectorAll('body > footer, [role=contentinfo]').length,
        skipTarget: skip && document.querySelector(skip.getAttribute('href')) !== null,
    };
}"""


def public_pages(site, language, translate):
    """(name, url, method) for every public template; ``method`` may prepare the page state."""
    pages = {
        "home": site.home,
        "calls": site.call_index,
        "call": site.call,
        "call-closed": site.closed_call,
        "assets": site.asset_index,
        "asset": site.asset,
        "stories": site.story_index,
        "story": site.story,
    }
    if language != "en":
        pages = {name: translate(page, language) for name, page in pages.items()}
    prefix = "" if language == "en" else f"/{language}"
    remote = site.extra["remote_item"]
    confirm_token = tokens.make("subscribe", call=site.call.pk, p=0)
    unsubscribe_token = tokens.make("unsubscribe", s=0)
    urls = [(name, page.url, None) for name, page in pages.items()]
    urls += [
        ("discover", "/discover/", None),
        ("discover-results", "/discover/?q=home+care", None),
        ("discover-no-results", "/discover/?q=zzzz-nothing-matches", None),
        ("federated", "/federated/", None),
        ("federated-item", f"/federated/{remote.pk}/", None),
        ("calls-filtered-empty", pages["calls"].url + "?status=closed&phase=sustain", None),
        ("contribute", f"/participation/calls/{site.call.pk}/contribute/", None),
        ("contribute-errors", f"/participation/calls/{site.call.pk}/contribute/", submit_empty),
        ("contribute-closed", f"/participation/calls/{site.closed_call.pk}/contribute/", None),
        ("join", f"/participation/calls/{site.call.pk}/join/", None),
        ("join-errors", f"/participation/calls/{site.call.pk}/join/", submit_empty),
        ("subscribe", f"/participation/calls/{site.call.pk}/subscribe/", None),
        ("support", f"/participation/calls/{site.call.pk}/support/", None),
        ("my-data", "/participation/my-data/", None),
        ("my-data-errors", "/participation/my-data/", submit_empty),
        ("confirm", f"/participation/confirm/{confirm_token}/", None),
        ("unsubscribed", f"/participation/unsubscribe/{unsubscribe_token}/", None),
        ("invalid-link", "/participation/confirm/not-a-signed-link/", None),
        ("not-found", f"{prefix}/no-such-page/", None),
        ("server-error", "/__boom__/", None),
    ]
    return urls


def submit_empty(page):
    """Submits the page's form empty, to render its error state."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_every_template_passes_axe(
    seeded_site, page, axe, screenshot, translate, use_theme, settings, theme, language
):
    """Ensures that each public template, in this theme and language, has no axe violations,
    one h1, no skipped heading levels, the page language set, landmarks and a working skip link."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    use_theme(theme)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": seeded_site.base_url}]
    )
    problems = []
    for name, path, prepare in public_pages(seeded_site, language, translate):
        response = page.goto(seeded_site.url(path))
        if prepare:
            prepare(page)
        expected_status = {"not-found": 404, "server-error": 500, "invalid-link": 400}.get(
            name, 200
        )
        if response.status != expected_status and not prepare:
            problems.append(f"{name}: HTTP {response.status} at {path}")
            continue
        structure = page.evaluate(STRUCTURE_JS)
        if structure["lang"] != language:
            problems.append(f"{name}: <html lang={structure['lang']!r}>, expected {language!r}")
        if structure["h1"] != 1 or structure["firstHeading"] != 1:
            problems.append(
                f"{name}: {structure['h1']} h1 elements, first heading h{structure['firstHeading']}"
            )
        if structure["skips"]:
            problems.append(f"{name}: heading levels skipped {structure['skips']}")
        if (structure["main"], structure["banner"], structure["contentinfo"]) != (1, 1, 1):
            problems.append(f"{name}: landmarks main/banner/contentinfo = {structure}")
        if not structure["skipTarget"]:
            problems.append(f"{name}: skip link missing or pointing nowhere")
        violations = axe(page)
        if violations:
            problems.append(f"{name} ({path}):\n{format_violations(violations)}")
        screenshot(page, f"{theme}-{language}-{name}")
    assert not problems, "\n".join(problems)
