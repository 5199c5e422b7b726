"""What every public page carries for a municipality: the accessibility statement, the privacy
notice and contact in the footer, a favicon and a meta description."""

import re

import pytest
from django.test import Client
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale, Site

from interlink_blocks.models import InformationPage
from interlink_themes.models import ThemeSettings


@pytest.fixture
def statutory_pages(home):
    """An accessibility statement and a privacy notice, chosen in the brand settings, with
    the statement translated into Spanish."""
    pages = {}
    for slug, title in (("accessibility", "Accessibility statement"), ("privacy", "Privacy")):
        pages[slug] = home.add_child(instance=InformationPage(title=title, slug=slug))
        pages[slug].save_revision().publish()
    spanish = Locale.objects.create(language_code="es")
    home.copy_for_translation(spanish).save_revision().publish()
    pages["accessibility"].copy_for_translation(spanish).save_revision().publish()
    pages["accessibility_es"] = pages["accessibility"].get_translation(spanish)
    brand = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
    brand.accessibility_page = pages["accessibility"]
    brand.privacy_page = pages["privacy"]
    brand.contact_email = "participation@example.org"
    brand.contact_phone = "+39 0555 210 400"
    brand.save()
    return pages


def footer(html: str) -> str:
    return re.search(r"<footer.*?</footer>", html, re.S).group(0)


@pytest.mark.parametrize(
    "path", ["/", "/discover/", "/federated/", "/participation/my-data/", "/no-such-page/"]
)
def test_every_page_links_the_accessibility_statement_and_privacy_notice(
    statutory_pages, client, path
):
    """Ensures that Wagtail pages, other public views and error pages all carry the footer
    links to the accessibility statement and the privacy notice chosen in the brand settings,
    and the contact details."""
    html = footer(client.get(path).content.decode())
    assert f'<a href="{statutory_pages["accessibility"].url}">Accessibility statement</a>' in html
    assert f'<a href="{statutory_pages["privacy"].url}">Privacy notice</a>' in html
    assert ">Contact</h2>" in html and "mailto:participation@example.org" in html


def test_footer_is_translated_and_leads_to_the_translated_statement(statutory_pages):
    """Ensures that in Spanish the footer's labels are Spanish and the statement link leads to
    its Spanish translation; the untranslated privacy notice stays reachable in English."""
    html = footer(Client().get("/es/").content.decode())
    accessibility_es = statutory_pages["accessibility_es"]
    assert accessibility_es.url.startswith("/es/")
    assert f'<a href="{accessibility_es.url}">Declaración de accesibilidad</a>' in html
    assert f'<a href="{statutory_pages["privacy"].url}">Aviso de privacidad</a>' in html
    assert ">Contacto</h2>" in html and "Teléfono" in html


def test_unpublished_statutory_page_is_left_out(statutory_pages, client):
    """Ensures that an unpublished privacy notice is not linked (no link to a 404)."""
    statutory_pages["privacy"].unpublish()
    html = footer(client.get("/").content.decode())
    assert "Privacy notice" not in html
    assert "Accessibility statement" in html


def test_favicon_comes_from_the_brand_settings(home, client, settings, tmp_path):
    """Ensures that /favicon.ico and the page's icon link lead to Interlink's icon by default
    and to a small rendition of the brand's favicon once one is chosen."""
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/interlink_themes/img/favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert '<link rel="icon" href="/static/interlink_themes/img/favicon.svg">' in (
        client.get("/").content.decode()
    )

    image = get_image_model().objects.create(
        title="Valmora crest", file=get_test_image_file(size=(128, 128))
    )
    brand = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
    brand.favicon = image
    brand.save()
    location = client.get("/favicon.ico")["Location"]
    assert re.search(r"/media/images/.*\.fill-64x64\.format-png\.png$", location), location
    assert f'<link rel="icon" href="{location}">' in client.get("/").content.decode()


def test_pages_have_a_meta_description(home, make_call, client):
    """Ensures that the home page (from its introduction), a call (from its summary), a page's
    own search description and the discovery page each have a meta description."""
    home.intro = (
        "<p>Valmora designs its services <b>with</b> the people &amp; firms who use them.</p>"
    )
    home.save_revision().publish()
    call = make_call(summary="Help us make asking for home care simple.")
    described = make_call(title="Described", slug="described", search_description="Chosen text.")

    def description(path):
        html = client.get(path).content.decode()
        found = re.findall(r'<meta name="description" content="([^"]*)">', html)
        assert len(found) == 1, found
        return found[0]

    assert (
        description("/") == "Valmora designs its services with the people &amp; firms who use them."
    )
    assert description(call.url) == "Help us make asking for home care simple."
    assert description(described.url) == "Chosen text."
    assert description("/discover/").startswith("Search co-production calls")


def test_meta_description_is_cut_to_160_characters(make_call, client):
    """Ensures that a long summary gives a description of at most 160 characters."""
    call = make_call(summary="word " * 100)
    html = client.get(call.url).content.decode()
    text = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert len(text) <= 160 and text.endswith("…")
