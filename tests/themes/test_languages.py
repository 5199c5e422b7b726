"""Content translation, language switcher, hreflang alternates and locale formatting."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from tests.support import translations

LANGS = ["es", "it", "lv"]


@pytest.fixture
def translated_call(make_call):
    """An English call published in Spanish, Italian and Latvian through copy_for_translation."""
    call = make_call(deadline=datetime.date(2031, 3, 14), opens_at=datetime.date(2031, 1, 2))
    copies = {"en": call}
    for code in LANGS:
        copies[code] = publish_translation(call, code)
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
    template = Template(
        "{% load interlink_themes_tags %}{% language_alternates as a %}[{{ a|length }}]"
    )
    assert template.render(Context({"page": page, "request": rf.get("/")})) == "[0]"


def test_editors_copy_a_page_for_translation_in_the_admin(translated_call, make_call, admin_client):
    """Ensures that wagtail-localize's "Translate" action is wired: an editor copies a new call into the
    Spanish tree (whose parents already exist there), ready to translate."""
    from wagtail.models import Page

    spanish = Locale.objects.get(language_code="es")
    call = make_call(title="Plan the new district library", slug="district-library")
    url = reverse("wagtail_localize:submit_page_translation", args=[call.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [spanish.pk]})
    assert response.status_code == 302
    copy = Page.objects.get(translation_key=call.translation_key, locale=spanish)
    assert copy.get_parent().specific.locale == spanish


def publish_translation(page, code):
    """Publishes a copy of ``page`` in the ``code`` locale, with its parents, and returns it."""
    return translations.publish_translation(page, code, f"{page.title} ({code})")


def links_to(html, page):
    """The opening tag of every link to ``page`` in ``html``."""
    return re.findall(rf'<a href="{re.escape(page.url)}"[^>]*>', html)


def spanish_only(page):
    """A Spanish translation of ``page`` whose English original is no longer published."""
    copy = publish_translation(page, "es")
    page.unpublish()
    return copy


def test_linked_pages_in_another_language_are_marked(make_call, make_asset, story_index):
    """Ensures that a linked page with no translation in the reader's language (a Spanish-only
    asset on an English call, an English call on a Spanish asset, a Spanish-only call in an
    English story) carries lang, and that links within one language carry none."""
    from interlink_blocks.models import StoryPage

    call = make_call()
    asset = make_asset()
    spanish_asset = spanish_only(make_asset(slug="guia", title="Guía"))
    spanish_asset.related_calls.set([call])
    spanish_asset.save_revision().publish()
    asset.related_calls.add(call)
    asset.save_revision().publish()
    spanish_call = spanish_only(make_call(slug="done", status="completed"))
    story = story_index.add_child(
        instance=StoryPage(title="A story", summary="How it went.", call=spanish_call)
    )
    story.produced_assets.set([asset, spanish_asset])
    story.save_revision().publish()
    client = Client()

    call_html = client.get(call.url).content.decode()
    assert [tag for tag in links_to(call_html, spanish_asset) if 'lang="es"' in tag]
    assert links_to(call_html, asset) and 'lang="' not in links_to(call_html, asset)[0]

    asset_html = client.get(spanish_asset.url).content.decode()
    assert '<html lang="es"' in asset_html
    assert 'lang="en"' in links_to(asset_html, call)[0]

    story_html = client.get(story.url).content.decode()
    assert 'lang="es"' in links_to(story_html, spanish_call)[0]
    assert 'lang="es"' in links_to(story_html, spanish_asset)[0]
    assert 'lang="' not in links_to(story_html, asset)[0]


def test_links_lead_to_the_readers_translation(make_call, make_asset, story_index, home):
    """Ensures that a translated page links the translations of the pages its original links
    (related calls and assets, a story's call and assets, call teasers and asset cards), each
    listed once, and keeps the original where no translation is published."""
    from interlink_blocks.models import StoryPage

    call = make_call()
    asset = make_asset()
    asset.related_calls.add(call)
    asset.save_revision().publish()
    untranslated = make_asset(slug="canvas", title="Canvas")
    untranslated.related_calls.add(call)
    untranslated.save_revision().publish()
    story = story_index.add_child(
        instance=StoryPage(
            title="A story", summary="How it went.", call=make_call(slug="done", status="completed")
        )
    )
    story.produced_assets.set([asset])
    story.save_revision().publish()
    home.body = [("call_teaser", {"call": call, "heading": ""}), ("asset_card", {"asset": asset})]
    home.save_revision().publish()

    spanish_home = publish_translation(home, "es")  # first: the others' parents go under it
    spanish_call = publish_translation(call, "es")
    spanish_asset = publish_translation(asset, "es")  # copied with its link to the English call
    spanish_done = publish_translation(story.call, "es")
    spanish_story = publish_translation(story, "es")
    client = Client()

    asset_html = client.get(spanish_asset.url).content.decode()
    assert links_to(asset_html, spanish_call) and not links_to(asset_html, call)

    call_html = client.get(spanish_call.url).content.decode()
    assert len(links_to(call_html, spanish_asset)) == 1 and not links_to(call_html, asset)
    assert 'lang="en"' in links_to(call_html, untranslated)[0]

    english_call_html = client.get(call.url).content.decode()
    assert len(links_to(english_call_html, asset)) == 1
    assert not links_to(english_call_html, spanish_asset)

    story_html = client.get(spanish_story.url).content.decode()
    assert links_to(story_html, spanish_done) and not links_to(story_html, story.call)
    assert links_to(story_html, spanish_asset) and not links_to(story_html, asset)

    home_html = client.get(spanish_home.url).content.decode()
    assert links_to(home_html, spanish_call) and links_to(home_html, spanish_asset)
    assert not links_to(home_html, call) and not links_to(home_html, asset)


def test_lang_attr_filter_takes_pages_locales_and_codes(make_call):
    """Ensures that ``lang_attr`` (library ``interlink_lang``) writes lang only for another
    language than the active one, for a page, a Locale or a language code."""
    from django.template import Context, Template

    call = make_call()
    spanish_call = publish_translation(call, "es")
    template = Template(
        "{% load interlink_lang %}[{{ page|lang_attr }}|{{ locale|lang_attr }}|"
        "{{ code|lang_attr }}|{{ none|lang_attr }}]"
    )
    context = {"page": spanish_call, "locale": spanish_call.locale, "code": "es-ES", "none": None}
    with translation.override("en"):
        assert template.render(Context(context)) == '[ lang="es"| lang="es"| lang="es-ES"|]'
    with translation.override("es"):
        assert template.render(Context(context)) == "[|||]"
    with translation.override("es"):
        assert (
            Template("{% load interlink_lang %}{{ p|lang_attr }}").render(Context({"p": call}))
            == ' lang="en"'
        )


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "12,345"), ("es", "12\xa0345"), ("it", "12.345"), ("lv", "12\xa0345")],
)
def test_large_counts_are_written_per_locale(
    translated_call, settings, monkeypatch, code, expected
):
    """Ensures that a listing's count and page total are grouped the way each language
    writes numbers, without USE_THOUSAND_SEPARATOR (which would also group ids in URLs)."""
    from django.core.paginator import Paginator

    from interlink_blocks.models import listing

    class ManyResults(Paginator):
        count = 12345

    assert not settings.USE_THOUSAND_SEPARATOR
    monkeypatch.setattr(listing, "Paginator", ManyResults)
    html = Client().get(translated_call[code].get_parent().url).content.decode()
    status = re.search(r'<p role="status">([^<]*)</p>', html).group(1)
    assert status.startswith(f"{expected} "), status
    assert f"1{expected[2]}029" in html  # "Page 1 of 1,029"


def test_table_numbers_are_written_per_locale(settings):
    """Ensures that numbers in a table block use the language's separators, and text cells
    stay as written."""
    from decimal import Decimal

    from interlink_blocks.blocks import DataTableBlock

    block = DataTableBlock()
    value = block.to_python(
        {
            "caption": "Budget",
            "columns": [
                {"type": "text", "heading": "District"},
                {"type": "number", "heading": "€"},
            ],
            "rows": [{"values": ["Centro", str(Decimal("180000.50"))]}],
        }
    )
    for code, expected in [("en", "180,000.50"), ("es", "180\xa0000,50"), ("it", "180.000,50")]:
        with translation.override(code):
            html = block.render(value)
            assert f"<td>{expected}</td>" in html, code
            assert '<th scope="row">Centro</th>' in html, code
