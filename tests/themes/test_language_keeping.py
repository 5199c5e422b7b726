"""The visitor keeps their language: public views under every language prefix, links and
redirects in the visitor's language, untranslated pages marked, a switcher on every page."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from interlink_blocks.language import in_language, language_copies, split_language
from tests.support.translations import publish_translation

LANGS = ["es", "it", "lv"]


def links(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="(/[^"]*)"', html)


@pytest.mark.parametrize("code", LANGS)
@pytest.mark.parametrize(
    "path", ["/discover/", "/discover/?q=care", "/federated/", "/participation/my-data/"]
)
def test_public_views_exist_under_every_language_prefix(home, code, path):
    """Ensures that discovery, the federated catalogue and the participation pages answer
    under /es/, /it/ and /lv/ in that language, with links in that language and a switcher
    to the same view in the other languages (hreflang and rel=alternate)."""
    publish_translation(home, code)
    response = Client().get(f"/{code}{path}")
    assert response.status_code == 200, path
    html = response.content.decode()
    assert f'<html lang="{code}"' in html
    bare = path.split("?")[0]
    for other in ("en", *LANGS):
        target = bare if other == "en" else f"/{other}{bare}"
        assert re.search(
            rf'<a href="{re.escape(target)}[^"]*" lang="{other}" hreflang="{other}"', html
        )
        assert f'<link rel="alternate" hreflang="{other}" href="http://testserver{target}' in html
    assert f'action="/{code}/discover/"' in html  # the header's search form


def test_machine_routes_have_no_language_copies(home):
    """Ensures that APIs, ActivityPub and WebFinger keep one address (no /es/ copy)."""
    client = Client()
    for path in ["/api/v1/calls/", "/api/v1/discover/", "/ap/actor", "/.well-known/nodeinfo"]:
        assert client.get(path).status_code != 404, path
        assert client.get(f"/es{path}", follow=True).status_code == 404, path


def test_in_language_prefixes_only_routes_served_under_a_prefix(home):
    """Ensures that in_language adds the prefix to public views, keeps query and fragment,
    leaves machine routes, other sites and the default language unprefixed."""
    with translation.override("lv"):
        assert in_language("/discover/?q=a#r") == "/lv/discover/?q=a#r"
        assert in_language("/api/v1/calls/") == "/api/v1/calls/"
        assert in_language("https://example.org/discover/") == "https://example.org/discover/"
        assert in_language("/es/discover/") == "/lv/discover/"
        assert in_language("/es/discover/", "en") == "/discover/"
    with translation.override("en"):
        assert in_language("/discover/") == "/discover/"
    assert split_language("/lv/discover/") == ("lv", "/discover/")
    assert split_language("/lvx/discover/") == ("", "/lvx/discover/")


def test_language_copies_refuse_nested_includes():
    """Ensures that language_copies says clearly what it cannot copy."""
    from django.urls import include, path

    with pytest.raises(TypeError):
        language_copies([path("x/", include([]))])


def test_call_page_forms_and_links_stay_in_the_page_language(make_call):
    """Ensures that a Spanish call's participation forms and links are under /es/."""
    call = make_call()
    call_es = publish_translation(call, "es")
    html = Client().get(call_es.url).content.decode()
    participation = [url for url in links(html) if "/participation/" in url and "static" not in url]
    assert participation, "the call shows no participation links"
    assert all(url.startswith("/es/participation/") for url in participation), participation


def test_contribution_sent_in_spanish_returns_to_the_spanish_call(make_call):
    """Ensures that after sending a contribution from the Spanish call the visitor lands on
    the Spanish call, where the confirmation is in Spanish."""
    call = make_call()
    call_es = publish_translation(call, "es")
    client = Client()
    response = client.post(
        f"/es/participation/calls/{call.pk}/contribute/",
        {
            "kind": "idea",
            "body": "Una línea telefónica para las familias.",
            "email": "a@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"{call_es.url}#participation"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="es"' in page and "¡Gracias!" in page


def test_menu_shows_untranslated_pages_marked_with_their_language(home, call_index, asset_index):
    """Ensures that the Latvian menu links the Latvian calls index and the English assets
    index (not translated yet), marked lang="en", instead of dropping it."""
    for index in (call_index, asset_index):
        index.show_in_menus = True
        index.save_revision().publish()
    publish_translation(home, "lv")
    calls_lv = publish_translation(call_index, "lv")
    calls_lv.show_in_menus = True
    calls_lv.save_revision().publish()
    html = Client().get("/lv/").content.decode()
    nav = re.search(r'<ul class="site-nav">(.*?)</ul>', html, re.S).group(1)
    assert f'<a href="{calls_lv.url}">' in nav and calls_lv.url.startswith("/lv/")
    assert f'<a href="{asset_index.url}" lang="en">{asset_index.title}</a>' in nav


def test_page_under_another_languages_prefix_goes_to_its_own_address(make_call):
    """Ensures that an English call asked for under /lv/ (the site has no Latvian tree) is
    not shown as Latvian: the visitor is sent to its own address, where <html lang="en">."""
    call = make_call()
    Locale.objects.create(language_code="lv")
    response = Client().get(f"/lv{call.url}?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"{call.url}?x=1"


def test_switcher_offers_home_pages_for_languages_a_page_lacks(home, make_call):
    """Ensures that a page translated only into Spanish still offers Italian (the Italian
    home page, said so to screen readers), while hreflang names only real translations."""
    call = make_call()
    call_es = publish_translation(call, "es")
    home_it = publish_translation(home, "it")
    html = Client().get(call.url).content.decode()
    assert f'<a href="{call_es.url}" lang="es" hreflang="es">Español</a>' in html
    assert re.search(
        rf'<a href="{home_it.url}" lang="it" hreflang="it">Italiano<span class="visually-hidden"> – pagina iniziale</span></a>',
        html,
    )
    assert 'hreflang="it" href' not in html  # no rel=alternate for Italian


def test_mailed_links_are_in_the_language_of_the_request(make_call, mailoutbox):
    """Ensures that the confirmation link mailed after a Spanish form leads to /es/…."""
    call = make_call()
    publish_translation(call, "es")
    Client().post(f"/es/participation/calls/{call.pk}/subscribe/", {"email": "b@example.org"})
    assert mailoutbox, "no mail sent"
    assert "/es/participation/confirm/" in mailoutbox[-1].body


def test_reverse_still_gives_unprefixed_addresses(home):
    """Ensures that reverse() (APIs, federation, admin) is unchanged by the copies."""
    with translation.override("es"):
        assert reverse("interlink_search:discover") == "/discover/"
        assert reverse("interlink_search:api-discover") == "/api/v1/discover/"
