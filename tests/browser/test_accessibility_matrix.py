"""Every public template × theme × language passes axe-core (WCAG 2.1 A/AA) with zero violations.

One test per theme and language: it seeds the site once (every block of the library on the
home page and an information page, a call with contributions, replies and an official answer,
footer links and contact translated into Spanish only), then visits every template and state in one browser page, runs axe, checks the structural
rules axe cannot (one h1, heading order, lang, landmarks) and saves a screenshot to the run's
folder (``test-output/screenshots/<run id>/``, see ``screenshots.py``).

Where a page's time goes, measured on two shared cores: loading it, about 0.4 s; axe,
0.3 s; a full-page PNG, 0.3 s. axe-core is therefore loaded by the browser context into
every document (``axe_page``) rather than sent over for each check, and screenshots are
JPEG, which Chromium encodes in half the time.
"""

import pytest

from interlink_blocks.participation import tokens

from .conftest import axe_options, format_violations, seed_contributions
from .page_checks import language_problems, reflow_problem

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


def footer_brand(page) -> dict:
    """Footer links (to ``page`` and to an address) and a contact address, translated into
    Spanish only: the other languages show the English ones marked lang="en"."""

    def link(label, spanish, page=None, url=""):
        translation = {"language": "es", "label": spanish, "url": ""}
        value = {"label": label, "page": page, "url": url, "translations": [translation]}
        return {"type": "link", "value": value}

    spanish_address = {"language": "es", "address": "Ayuntamiento, Plaza Mayor 1"}
    return {
        "accessibility_page": page,
        "privacy_page": page,
        "footer_links": [
            link("About this service", "Sobre este servicio", page=page.pk),
            link("Accessibility", "Accesibilidad", url="https://example.org/accessibility"),
        ],
        "contact_email": "participation@example.org",
        "contact_address": "Town hall, Main Square 1",
        "contact_address_translations": [{"type": "translation", "value": spanish_address}],
    }


# What each block of the library renders, to check that the block pages show them all.
BLOCK_SELECTORS = [
    ".il-heading",
    ".il-prose",
    ".il-figure img",
    ".il-table-wrap",
    ".il-call-teaser",
    ".il-asset-card",
    ".il-timeline",
    ".il-contact",
    ".il-faq",
    ".il-resources",
    ".il-figures",
    ".il-cta",
]
MISSING_BLOCKS_JS = "(selectors) => selectors.filter(s => !document.querySelector('main ' + s))"

CHECK_JS = f"""async (options) => ({{
    structure: ({STRUCTURE_JS})(),
    violations: (await axe.run(document, options)).violations,
}})"""


def public_pages(site, language, translate):
    """(name, url, prepare) for every public template and state, in ``language``.

    ``prepare(page)`` brings the page from the URL to the state checked (a submitted form).
    The call in ``language`` gets contributions (seeded here); with the ``block_pages``
    fixture the home and an information page show every block of the library.
    """
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
    if "standard" in site.extra:
        pages["standard"] = site.extra["standard"]
    if language != "en":
        pages = {name: translate(page, language) for name, page in pages.items()}
    prefix = "" if language == "en" else f"/{language}"
    remote = site.extra["remote_item"]
    call, closed_call = pages["call"], pages["call-closed"]
    seeded = seed_contributions(call)
    forms = f"{prefix}/participation/calls/{call.pk}"
    report = f"{prefix}/participation/contributions/{seeded['idea'].pk}/report/"
    confirm_token = tokens.make("subscribe", call=call.pk, p=0)
    unsubscribe_token = tokens.make("unsubscribe", s=0)
    data_token = tokens.make("data", p=seeded["participant"].pk)
    urls = [(name, page.url, None) for name, page in pages.items()]
    urls += [
        ("discover", f"{prefix}/discover/", None),
        ("discover-results", f"{prefix}/discover/?q=home+care", None),
        ("discover-no-results", f"{prefix}/discover/?q=zzzz-nothing-matches", None),
        ("federated", f"{prefix}/federated/", None),
        ("federated-item", f"{prefix}/federated/{remote.pk}/", None),
        ("calls-filtered-empty", pages["calls"].url + "?status=closed&phase=sustain", None),
        ("contribute", f"{forms}/contribute/", None),
        ("contribute-errors", f"{forms}/contribute/", submit_empty),
        ("contribute-closed", f"{prefix}/participation/calls/{closed_call.pk}/contribute/", None),
        ("join", f"{forms}/join/", None),
        ("join-errors", f"{forms}/join/", submit_empty),
        ("subscribe", f"{forms}/subscribe/", None),
        ("subscribe-errors", f"{forms}/subscribe/", submit_empty),
        ("support", f"{forms}/support/", None),
        ("support-errors", f"{forms}/support/", submit_empty),
        ("report", report, None),
        ("report-errors", report, submit_overlong_reason),
        # Reporting sends the visitor back to the call, which shows the confirmation.
        ("call-message", report, submit_and_see_message),
        ("my-data", f"{prefix}/participation/my-data/", None),
        ("my-data-errors", f"{prefix}/participation/my-data/", submit_empty),
        ("my-data-link", f"{prefix}/participation/my-data/{data_token}/", None),
        ("confirm", f"{prefix}/participation/confirm/{confirm_token}/", None),
        ("unsubscribed", f"{prefix}/participation/unsubscribe/{unsubscribe_token}/", None),
        ("invalid-link", f"{prefix}/participation/confirm/not-a-signed-link/", None),
        ("not-found", f"{prefix}/no-such-page/", None),
        ("server-error", "/__boom__/", None),
    ]
    return urls


# Pages whose template is shown with an error status on purpose; every other page answers 200.
EXPECTED_STATUS = {"not-found": 404, "server-error": 500, "invalid-link": 400}


def submit_empty(page):
    """Submits the page's form empty, to render its error state."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def submit_overlong_reason(page):
    """Sends a report whose reason is too long (the only way its optional field can fail)."""
    reason = page.locator("main form textarea[name=reason]")
    reason.evaluate("el => el.removeAttribute('maxlength')")
    reason.fill("Spam. " * 90)
    submit_empty(page)
    assert page.locator(".il-error-summary").count() == 1, "the report form shows no error"


def submit_and_see_message(page):
    """Sends the page's form and checks the call page it leads to shows the confirmation."""
    submit_empty(page)
    assert page.locator("#participation .il-message").count() == 1, "no confirmation shown"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_every_template_passes_axe(
    block_pages, axe_page, screenshot, translate, use_theme, settings, theme, language
):
    """Ensures that each public template, in this theme and language, has no axe violations,
    one h1, no skipped heading levels, the page language set, landmarks and a working skip
    link, and does not scroll sideways at 320 CSS px (reflow, which axe does not check)."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    use_theme(theme, **footer_brand(block_pages.extra["standard"]))
    seeded_site, page = block_pages, axe_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": seeded_site.base_url}]
    )
    problems = []
    for name, path, prepare in public_pages(seeded_site, language, translate):
        response = page.goto(seeded_site.url(path))
        if prepare:
            prepare(page)
        expected_status = EXPECTED_STATUS.get(name, 200)
        if response.status != expected_status and not prepare:
            problems.append(f"{name}: HTTP {response.status} at {path}")
            continue
        # One round trip for both: the structure, then axe (already in the document).
        checked = page.evaluate(CHECK_JS, axe_options())
        structure, violations = checked["structure"], checked["violations"]
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
        if name in ("home", "standard"):
            missing = page.evaluate(MISSING_BLOCKS_JS, BLOCK_SELECTORS)
            if missing:
                problems.append(f"{name}: blocks not shown {missing}")
        if violations:
            problems.append(f"{name} ({path}):\n{format_violations(violations)}")
        if name not in ("server-error",):
            problems += [f"{name} ({path}) link {p}" for p in language_problems(page, language)]
        reflow = reflow_problem(page)
        if reflow:
            problems.append(f"{name} ({path}) scrolls sideways: {reflow}")
        screenshot(page, f"{theme}-{language}-{name}", type="jpeg", quality=80)
    assert not problems, "\n".join(problems)
