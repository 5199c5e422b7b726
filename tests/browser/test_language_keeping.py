"""A visitor who reads in Spanish, Italian or Latvian keeps that language from page to page,
in both themes, on a site where only part of the content is translated.

The call, the calls index, the story and its index and the home page are translated; the
assets are not. Every same-site link and form on each page must lead to the visitor's
language, or say (``lang``) that it leads to a page in another language
(``page_checks.language_problems``); the menu, a call card and a form's redirect are
followed as a visitor would.
"""

import pytest

from .page_checks import language_problems
from .test_accessibility_matrix import LANGUAGES, THEMES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_visitor_keeps_their_language_across_links(
    seeded_site, page, translate, use_theme, theme, language
):
    """Ensures that links, menus, cards, the story's call, the switcher and the redirect
    after a form keep the visitor's language, and untranslated pages are marked."""
    use_theme(theme)
    site = seeded_site
    pages = {
        name: getattr(site, name)
        for name in ("home", "call_index", "call", "story_index", "story", "asset_index")
    }
    story_call = site.story.specific.call
    if language != "en":
        pages = {name: translate(item, language) for name, item in pages.items()}
        translate(story_call, language)
    problems = []

    def visit(path, checked_language=language):
        response = page.goto(site.url(path))
        assert response.status == 200, f"{path}: HTTP {response.status}"
        html_lang = page.evaluate("document.documentElement.lang")
        if html_lang != checked_language:
            problems.append(f"{path}: <html lang={html_lang!r}>")
        problems.extend(f"{path}: {p}" for p in language_problems(page, checked_language))

    for name in ("home", "call_index", "call", "story_index", "story", "asset_index"):
        visit(pages[name].url)
    # The asset is not translated: its page is English, and says so.
    visit(site.asset.url, "en")
    visit(f"{'' if language == 'en' else '/' + language}/discover/?q=home")

    # Following links as a visitor: the menu, a call's card, then a form.
    page.goto(site.url(pages["home"].url))
    page.locator(".site-nav a", has_text=pages["call_index"].title).first.click()
    assert page.url == site.url(pages["call_index"].url), page.url
    page.locator("main .card a", has_text=pages["call"].title).first.click()
    assert page.url == site.url(pages["call"].url), page.url
    with page.expect_navigation():
        page.locator("#participation form button[type=submit]").first.click()
    page.locator("input[name=email]").fill("visitor@example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.url.split("#")[0] == site.url(pages["call"].url), page.url
    assert page.evaluate("document.documentElement.lang") == language
    message = page.locator("#participation .il-message")
    assert message.count() == 1, "no confirmation on the call page"
    assert page.evaluate("el => el.closest('[lang]').lang", message.element_handle()) == language
    assert not problems, "\n".join(problems)
