"""Content translation, language switcher, hreflang alternates and locale formatting."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

LANGS = ["es", "it", "lv"]


@pytest.fixture
def translated_call(make_call):
    """An English call published in Spanish, Italian and Latvian through copy_for_translation."""
    call = make_call(deadline=datetime.date(2031, 3, 14), opens_at=datetime.date(2031, 1, 2))
    copies = {"en": call}
    for code in LANGS:
        locale = Locale.objects.get_or_create(language_code=code)[0]
        copy = call.copy_for_translation(locale, copy_parents=True)
        for ancestor in copy.get_ancestors().specific().filter(depth__gt=1):
            if not ancestor.live:
                ancestor.save_revision().publish()
        copy.title = f"{call.title} ({code})"
        copy.save_revision().publish()
        copies[code] = copy.specific.__class__.objects.get(pk=copy.pk)
    return copies


def test_translations_are_served_under_language_prefixes(translated_call):
    """Ensures that each copy for translation is served at /<lang>/… with the page's lang attribute."""
    client = Client()
    for code in LANGS:
        url = translated_call[code].url
        assert url.startswith(f"/{code}/"), url
        html = client.get(url).content.decode()
        assert f'<html lang="{code}"' in html
        assert f"({code})</h1>" in html


def test_hreflang_alternates_and_switcher_link_every_translation(translated_call):
    """Ensures that a page lists every translation as hreflang alternate and in the switcher."""
    html = Client().get(translated_call["en"].url).content.decode()
    for code in ["en", *LANGS]:
        full_url = translated_call[code].get_full_url()
        assert f'<link rel="alternate" hreflang="{code}" href="{full_url}">' in html
    default_url = translated_call["en"].get_full_url()
    assert f'<link rel="alternate" hreflang="x-default" href="{default_url}">' in html
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'lang="lv"' in switcher and "latviešu" in switcher.lower()
    assert 'aria-current="true">English' in switcher


def test_untranslated_page_shows_no_switcher(make_call):
    """Ensures that a page without translations offers no links to pages that do not exist."""
    call = make_call()
    html = Client().get(call.url).content.decode()
    assert "language-switcher" not in html
    assert 'hreflang="es"' not in html


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "14 March 2031"),
        ("es", "14 de marzo de 2031"),
        ("it", "14 marzo 2031"),
        ("lv", "2031. gada 14. marts"),
    ],
)
def test_deadlines_are_formatted_per_locale(translated_call, code, expected):
    """Ensures that a call's deadline is written the way each language writes dates."""
    html = Client().get(translated_call[code].url).content.decode()
    assert expected in html


def test_unprefixed_public_views_follow_the_visitors_language(home):
    """Ensures that public views outside i18n_patterns answer in the visitor's language (cookie,
    then Accept-Language) instead of always English, and say so in Vary."""
    client = Client()
    client.cookies["django_language"] = "it"
    response = client.get("/federated/")
    assert '<html lang="it"' in response.content.decode()
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]

    response = Client().get("/federated/", HTTP_ACCEPT_LANGUAGE="lv,en;q=0.5")
    assert '<html lang="lv"' in response.content.decode()

    # Their language switcher is a plain form posting to set_language.
    html = response.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    response = client.post(reverse("set_language"), {"language": "es", "next": "/federated/"})
    assert response.status_code == 302
    assert '<html lang="es"' in client.get("/federated/").content.decode()


def test_unprefixed_wagtail_pages_stay_english(home):
    """Ensures that under i18n_patterns an unprefixed page is the English one, whatever the cookie."""
    client = Client()
    client.cookies["django_language"] = "it"
    assert '<html lang="en"' in client.get(home.url).content.decode()


def test_prefixed_page_remembers_language_for_unprefixed_views(translated_call):
    """Ensures that reading a page in Latvian makes unprefixed views (forms) answer in Latvian."""
    client = Client()
    response = client.get(translated_call["lv"].url)
    assert response.cookies["django_language"].value == "lv"
    first_visit = Client().get(translated_call["en"].url)
    assert "django_language" not in first_visit.cookies


def test_content_in_another_language_is_marked(home):
    """Ensures that a federated item written in Italian is marked lang="it" on an English page,
    while the page's own labels stay in the page language."""
    from tests.browser.conftest import seed_remote_item

    item = seed_remote_item()
    html = Client().get(f"/federated/{item.pk}/").content.decode()
    assert '<html lang="en"' in html
    assert re.search(r'<h1 lang="it">Ripensare', html)
    assert '<p class="lead" lang="it">' in html
    catalogue = Client().get("/federated/").content.decode()
    assert re.search(r'<h2 lang="it"><a href="[^"]+">Ripensare', catalogue)


def test_unsaved_page_preview_has_no_alternates(home, rf):
    """Ensures that previewing a page that was never saved renders no language links (and no error)."""
    from django.template import Context, Template

    from interlink_blocks.models import CallPage

    page = CallPage(title="Unsaved", slug="unsaved", summary="Not saved yet.")
    template = Template("{% load themes_tags %}{% language_alternates as a %}[{{ a|length }}]")
    assert template.render(Context({"page": page, "request": rf.get("/")})) == "[0]"


def test_editors_copy_a_page_for_translation_in_the_admin(translated_call, make_call, admin_client):
    """Ensures that Wagtail's "Translate" action is wired: an editor copies a new call into the
    Spanish tree (whose parents already exist there), ready to translate."""
    from wagtail.models import Locale, Page

    spanish = Locale.objects.get(language_code="es")
    call = make_call(title="Plan the new district library", slug="district-library")
    url = reverse("simple_translation:submit_page_translation", args=[call.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [spanish.pk]})
    assert response.status_code == 302
    copy = Page.objects.get(translation_key=call.translation_key, locale=spanish)
    assert copy.get_parent().specific.locale == spanish
