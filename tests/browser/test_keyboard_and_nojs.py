"""Keyboard-only use, visible focus and pages without JavaScript, in both themes."""

import pytest

pytestmark = pytest.mark.browser

FOCUS_STATE_JS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        name: el.getAttribute('name'),
        type: el.getAttribute('type'),
        text: (el.innerText || '').trim(),
        inForm: el.closest('form.il-form') !== null,
        visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
            || (style.boxShadow && style.boxShadow !== 'none'),
    };
}"""


def tab_to(page, predicate, limit=60):
    """Presses Tab until ``predicate(focus_state)`` holds; checks every stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE_JS)
        assert state["visible"], f"focus not visible on {state}"
        if predicate(state):
            return state
    raise AssertionError("never reached the expected control by keyboard")


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_contribution_by_keyboard_only(seeded_site, page, use_theme, theme):
    """Ensures that a resident can write and send a contribution with the keyboard alone,
    seeing where the focus is at every step, and can correct an error the same way."""
    use_theme(theme)
    page.goto(seeded_site.url(f"/participation/calls/{seeded_site.call.pk}/contribute/"))

    # Sending with the text missing shows the error and keeps the focus path usable.
    tab_to(page, lambda s: s["inForm"] and s["type"] == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".il-error-summary, [role=alert], .errorlist").count() > 0

    tab_to(page, lambda s: s["name"] == "body")
    page.keyboard.type("Please let families send the request by phone as well as online.")
    tab_to(page, lambda s: s["name"] == "email")
    page.keyboard.type("resident@example.org")
    tab_to(page, lambda s: s["inForm"] and s["type"] == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("#")[0].endswith(seeded_site.call.url), page.url
    assert "Thank you" in page.locator("main").inner_text()


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_skip_link_and_visible_focus(seeded_site, page, use_theme, theme):
    """Ensures that the first Tab stop is a visible skip link that moves focus to the main content."""
    use_theme(theme)
    page.goto(seeded_site.url(seeded_site.call_index.url))
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE_JS)
    assert state["visible"]
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_contribution_without_javascript(seeded_site, nojs_page):
    """Ensures that the contribution form works with JavaScript disabled (plain HTML forms)."""
    page = nojs_page
    page.goto(seeded_site.url(f"/participation/calls/{seeded_site.call.pk}/contribute/"))
    page.fill("textarea[name=body]", "A paper form at the district office would help too.")
    page.fill("input[name=email]", "neighbour@example.org")
    with page.expect_navigation():
        page.locator("form.il-form button[type=submit]").click()
    assert "Thank you" in page.locator("main").inner_text()


def test_language_switcher_without_javascript(seeded_site, nojs_page, translate):
    """Ensures that the language switcher works with JavaScript off, on pages and on forms."""
    page = nojs_page
    spanish_call = translate(seeded_site.call, "es")
    page.goto(seeded_site.url(seeded_site.call.url))
    with page.expect_navigation():
        page.locator(".language-switcher a[hreflang=es]").click()
    assert page.url.endswith(spanish_call.url)
    assert page.locator("html").get_attribute("lang") == "es"

    # The form is outside i18n_patterns: it follows the language chosen on the page...
    page.goto(seeded_site.url(f"/participation/calls/{seeded_site.call.pk}/contribute/"))
    assert page.locator("html").get_attribute("lang") == "es"
    # ...and its switcher is a plain form that sets the language.
    with page.expect_navigation():
        page.locator(".language-switcher button[value=lv]").click()
    assert page.locator("html").get_attribute("lang") == "lv"
    assert "/participation/calls/" in page.url


CURRENT_VS_OTHER_JS = """(selector) => {
    const links = [...document.querySelectorAll(selector)];
    const current = links.find(a => a.hasAttribute('aria-current'));
    const other = links.find(a => !a.hasAttribute('aria-current'));
    const look = el => {
        const s = getComputedStyle(el);
        return [s.fontWeight, s.textDecorationLine, s.textDecorationThickness,
                s.borderBottomWidth, s.borderTopWidth, s.outlineStyle].join('|');
    };
    return current && other ? [look(current), look(other)] : null;
}"""


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_current_items_are_shown_by_more_than_colour(
    seeded_site, page, translate, use_theme, theme
):
    """Ensures that the current menu item and current language differ from the others in weight,
    underline or border, not only in colour."""
    use_theme(theme)
    translate(seeded_site.call_index, "es")
    page.goto(seeded_site.url(seeded_site.call_index.url))
    for selector in (".site-nav a", ".language-switcher a"):
        looks = page.evaluate(CURRENT_VS_OTHER_JS, selector)
        assert looks is not None, f"no current and other item for {selector}"
        current, other = looks
        assert current != other, f"{selector}: current item looks like the others ({current})"


# Templates are the same in every language; English (the source) and Latvian (a translated
# page tree, three plural forms) stand for all four, which the axe matrix visits with scripts.
@pytest.mark.parametrize("language", ["en", "lv"])
def test_every_public_page_works_without_javascript(
    block_pages, nojs_page, translate, settings, language
):
    """Ensures that every public template renders its content and forms with JavaScript off,
    in the source language and in a translated tree."""
    from .test_accessibility_matrix import EXPECTED_STATUS, public_pages

    settings.ROOT_URLCONF = "tests.browser.urls"
    page = nojs_page
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": block_pages.base_url}]
    )
    for name, path, prepare in public_pages(block_pages, language, translate):
        response = page.goto(block_pages.url(path))
        if prepare:
            prepare(page)
        else:
            expected = EXPECTED_STATUS.get(name, 200)
            assert response.status == expected, f"{name}: HTTP {response.status}"
        assert page.locator("main h1").count() == 1, name
        assert page.locator("noscript, [data-requires-js]").count() == 0, name
        assert page.locator("html").get_attribute("lang") == language, name
