"""Theme selection per site, brand tokens, error pages and page weight."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

from interlink_themes.models import ThemeSettings


def use_theme(site, name, **brand):
    settings = ThemeSettings.for_site(site)
    settings.theme = name
    for field, value in brand.items():
        setattr(settings, field, value)
    settings.full_clean()
    settings.save()
    return settings


def test_default_site_renders_in_civic_theme(home, client):
    """Ensures that without any settings the civic theme's stylesheet and layout are used."""
    html = client.get(home.url).content.decode()
    assert "interlink_themes/css/civic.css" in html
    assert 'class="theme-civic' in html


def test_each_site_gets_its_own_theme(home, client):
    """Ensures that two Wagtail Sites on one node render in the themes they chose."""
    other_home = Page.get_first_root_node().add_child(
        instance=type(home)(title="Town of Other", slug="other")
    )
    other = Site.objects.create(hostname="other.localhost", port=80, root_page=other_home)
    use_theme(other, "contrast")

    civic_html = client.get("/", HTTP_HOST="localhost").content.decode()
    contrast_html = client.get("/", HTTP_HOST="other.localhost").content.decode()
    assert "interlink_themes/css/civic.css" in civic_html and "theme-contrast" not in civic_html
    assert (
        "interlink_themes/css/contrast.css" in contrast_html
        and 'class="theme-contrast' in contrast_html
    )
    assert "Town of Other" in contrast_html


def test_brand_colours_become_tokens_with_derived_states(home, client):
    """Ensures that a site's brand colours reach the page as tokens, with hover and focus derived."""
    use_theme(Site.objects.get(is_default_site=True), "civic", primary_colour="#1b5e20")
    html = client.get(home.url).content.decode()
    style = re.search(r"<style[^>]*>(:root\{[^<]*)</style>", html).group(1)
    assert "--il-color-primary:#1b5e20" in style
    assert "--il-color-primary-contrast:#ffffff" in style
    hover = re.search(r"--il-color-primary-hover:(#[0-9a-f]{6})", style).group(1)
    assert hover not in ("#1b5e20", "")
    assert "--il-color-focus:" in style and "--il-color-focus-ring:#000000" in style


def test_footer_shows_links_and_contact(home, client):
    """Ensures that footer links and contact details from the brand settings are rendered."""
    use_theme(
        Site.objects.get(is_default_site=True),
        "contrast",
        contact_email="hello@example.org",
        footer_links=[
            {
                "type": "link",
                "value": {"label": "Privacy", "page": None, "url": "https://example.org/privacy"},
            }
        ],
    )
    html = client.get(home.url).content.decode()
    assert 'href="https://example.org/privacy">Privacy</a>' in html
    assert "mailto:hello@example.org" in html


def test_404_page_is_themed_and_translated(home, client):
    """Ensures that the 404 page uses the site's theme and the request's language."""
    use_theme(Site.objects.get(is_default_site=True), "contrast")
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "interlink_themes/css/contrast.css" in html
    assert '<html lang="es"' in html


def test_500_page_is_themed(home, rf):
    """Ensures that the server error page renders in the site's theme."""
    from interlink_themes.views import server_error

    use_theme(Site.objects.get(is_default_site=True), "contrast")
    request = rf.get("/broken/")
    response = server_error(request)
    assert response.status_code == 500
    assert b"interlink_themes/css/contrast.css" in response.content


def test_500_page_falls_back_to_plain_html(home, rf, monkeypatch):
    """Ensures that if the themed 500 page cannot render, a plain page is served instead of a crash."""
    from interlink_themes import views

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    with translation.override("en"):
        response = views.server_error(rf.get("/broken/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    with translation.override("lv"):
        response = views.server_error(rf.get("/broken/"))
    html = response.content.decode()
    assert '<html lang="lv">' in html and "Kaut kas nogāja greizi" in html


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_call_page_weight_under_50_kb(make_call, theme):
    """Ensures that a call page's HTML plus its stylesheets stays under 50 KB uncompressed."""
    call = make_call(
        how_to_contribute="<p>Tell us about your experience.</p>",
        contact_name="Participation office",
        contact_email="participation@example.org",
    )
    use_theme(Site.objects.get(is_default_site=True), theme)
    html = Client().get(call.url).content
    stylesheets = re.findall(rb'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert stylesheets, "the page links no stylesheet"
    css_bytes = 0
    for name in stylesheets:
        path = finders.find(name.decode())
        assert path, f"missing stylesheet {name!r}"
        with open(path, "rb") as handle:
            css_bytes += len(handle.read())
    total = len(html) + css_bytes
    assert total <= 50 * 1024, f"{total} bytes (HTML {len(html)}, CSS {css_bytes})"


def test_block_stylesheet_uses_only_tokens_for_colours():
    """Ensures that the block library's colours come from --il- tokens, so host sites keep their look."""
    path = finders.find("interlink_blocks/css/blocks.css")
    css = open(path, encoding="utf-8").read()
    for declaration in re.findall(r"(?:color|background|border[a-z-]*)\s*:\s*([^;}]+)", css):
        without_fallbacks = re.sub(r"var\(--il-[a-z-]+,\s*[^)]*\)", "", declaration)
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb|hsl", without_fallbacks), declaration


@pytest.mark.parametrize(("theme", "placement"), [("civic", "inline"), ("contrast", "above")])
def test_logo_is_placed_by_the_theme_with_the_name_kept_as_text(home, client, theme, placement):
    """Ensures that a site's logo appears in the header as decoration beside its name, laid out
    by the theme (beside the name, or centred above the menu)."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    logo = Image.objects.create(title="Coat of arms", file=get_test_image_file(size=(96, 96)))
    use_theme(Site.objects.get(is_default_site=True), theme, logo=logo)
    html = client.get(home.url).content.decode()
    brand = re.search(r'<a class="site-name"[^>]*>(.*?)</a>', html, re.S).group(1)
    assert 'alt=""' in brand and 'class="site-logo"' in brand
    assert "<span>City of Example</span>" in brand
    from interlink_themes.registry import get_theme

    assert get_theme(theme).logo_placement == placement
    if placement == "above":
        assert '<div class="site-brand">' in html


def test_404_links_to_the_home_page_in_its_language(home, client):
    """Ensures that the 404 page's way out leads to the home page in the visitor's language."""
    from wagtail.models import Locale

    spanish = Locale.objects.create(language_code="es")
    home_es = home.copy_for_translation(spanish)
    home_es.save_revision().publish()
    html = client.get("/es/no-such-page/").content.decode()
    assert f'<a href="{home_es.url}">Ir a la página de inicio</a>' in html


def footer_link(label, page=None, url="", translations=()):
    return {
        "type": "link",
        "value": {
            "label": label,
            "page": page.pk if page else None,
            "url": url,
            "translations": [
                {"language": code, "label": text, "url": address}
                for code, text, address in translations
            ],
        },
    }


def test_footer_links_and_address_follow_the_page_language(home, client):
    """Ensures that footer labels and the contact address show in the page's language when
    translated, fall back to the default language marked with lang, and that a link to a page
    leads to that page's translation."""
    from wagtail.models import Locale

    from interlink_blocks.models import InformationPage

    privacy = home.add_child(instance=InformationPage(title="Privacy", slug="privacy"))
    privacy.save_revision().publish()
    spanish = Locale.objects.create(language_code="es")
    Locale.objects.create(language_code="lv")
    for page in (home, privacy):
        page.copy_for_translation(spanish).save_revision().publish()
    privacy_es = privacy.get_translation(spanish)
    use_theme(
        Site.objects.get(is_default_site=True),
        "civic",
        footer_links=[
            footer_link("Privacy", page=privacy, translations=[("es", "Privacidad", "")]),
            footer_link(
                "Accessibility",
                url="https://example.org/accessibility",
                translations=[("es", "Accesibilidad", "https://example.org/es/accesibilidad")],
            ),
        ],
        contact_address="Town hall, Main Square 1",
        contact_address_translations=[
            {"type": "translation", "value": {"language": "es", "address": "Ayuntamiento"}}
        ],
    )
    english = client.get(home.url).content.decode()
    assert f'<a href="{privacy.url}">Privacy</a>' in english
    assert '<a href="https://example.org/accessibility">Accessibility</a>' in english
    assert "<span>Town hall, Main Square 1</span>" in english

    spanish_html = client.get("/es/").content.decode()
    assert f'<a href="{privacy_es.url}">Privacidad</a>' in spanish_html
    assert privacy_es.url.startswith("/es/")
    assert '<a href="https://example.org/es/accesibilidad">Accesibilidad</a>' in spanish_html
    assert "<span>Ayuntamiento</span>" in spanish_html

    # Latvian has no translations: the English labels and address, marked as English, and
    # the page itself since it has no Latvian translation either.
    latvian_html = client.get("/lv/no-such-page/").content.decode()
    assert '<html lang="lv"' in latvian_html
    assert f'<a href="{privacy.url}" lang="en">Privacy</a>' in latvian_html
    assert '<a href="https://example.org/accessibility" lang="en">Accessibility</a>' in latvian_html
    assert '<span lang="en">Town hall, Main Square 1</span>' in latvian_html


def test_footer_translations_are_edited_in_the_admin(home, admin_client):
    """Ensures that an editor adds a footer link's Spanish label in Settings → Theme and brand."""
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["interlink_themes", "themesettings", site.pk])
    html = admin_client.get(url).content.decode()
    assert "contact_address_translations" in html
    data = {
        "theme": "civic",
        "primary_colour": "",
        "accent_colour": "",
        "footer_links-count": "1",
        "footer_links-0-type": "link",
        "footer_links-0-deleted": "",
        "footer_links-0-order": "0",
        "footer_links-0-value-label": "Privacy",
        "footer_links-0-value-page": "",
        "footer_links-0-value-url": "https://example.org/privacy",
        "footer_links-0-value-translations-count": "1",
        "footer_links-0-value-translations-0-deleted": "",
        "footer_links-0-value-translations-0-order": "0",
        "footer_links-0-value-translations-0-value-language": "es",
        "footer_links-0-value-translations-0-value-label": "Privacidad",
        "footer_links-0-value-translations-0-value-url": "",
        "contact_email": "",
        "contact_phone": "",
        "contact_address": "",
        "contact_address_translations-count": "0",
        "site_name_translations-count": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    link = ThemeSettings.for_site(site).footer_links[0].value
    assert link["translations"][0]["label"] == "Privacidad"


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_header_offers_a_search_form_to_the_discovery_page(home, client, theme):
    """Ensures that every themed page has a labelled search form in its header that sends a
    plain GET to the discovery page (no JavaScript), in the page's language."""
    use_theme(Site.objects.get(is_default_site=True), theme)
    html = client.get(home.url).content.decode()
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    form = re.search(r'<form class="site-search"[^>]*>.*?</form>', header, re.S).group(0)
    assert f'action="{reverse("interlink_search:discover")}"' in form and 'method="get"' in form
    assert 'role="search"' in form and 'aria-label="Site search"' in form
    assert '<label for="site-search-q"' in form and 'id="site-search-q"' in form
    assert 'name="q"' in form and 'type="submit"' in form
    response = client.get(reverse("interlink_search:discover"), {"q": "home care"})
    assert response.status_code == 200
