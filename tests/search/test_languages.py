"""Translations and languages in discovery: one result per page and its translations,
in the visitor's language when there is a copy in it; ``lang`` on every result written
in another language than the page (shared suite, both backends)."""

import re

import pytest

from interlink_search.types import SearchQuery
from tests.support.translations import publish_translation


@pytest.fixture
def translate(committed, backend):
    """Publishes a copy of ``page`` for translation into ``code``, titled ``title``."""

    def copy(page, code, title):
        translated = publish_translation(page, code, title, run=committed)
        backend.refresh()
        return translated

    return copy


def titles(html):
    return re.findall(r'<li class="il-hit">\s*<h3[^>]*><a href="[^"]*">([^<]+)</a>', html)


def test_one_result_per_translated_page_in_the_visitors_language(
    backend, client, committed, publish_call, translate
):
    """Ensures that a call and its Spanish translation are one result: the Spanish copy
    for Spanish visitors, the original for everyone else, with counts to match; that an
    unpublished translation gives way to the original; and that a page's translations
    are never its "similar calls"."""
    call = publish_call(title="Night bus routes", sectors=["mobility"])
    spanish = translate(call, "es", "Rutas de autobús nocturno")
    other = publish_call(title="Night tram routes", sectors=["mobility"])

    assert backend.search(SearchQuery()).total == 3  # every copy, without a language
    english = backend.search(SearchQuery(language="en"))
    assert sorted(hit.key for hit in english.hits) == sorted(
        [f"page:{call.uuid}", f"page:{other.uuid}"]
    )
    assert {b.value: b.count for b in english.facets["kind"]} == {"call": 2}
    in_spanish = backend.search(SearchQuery(language="es"))
    assert {hit.key for hit in in_spanish.hits} == {f"page:{spanish.uuid}", f"page:{other.uuid}"}
    in_italian = backend.search(SearchQuery(language="it"))
    assert {hit.key for hit in in_italian.hits} == {f"page:{call.uuid}", f"page:{other.uuid}"}

    html = client.get("/discover/", {"sort": "newest"}).content.decode()
    assert titles(html) == ["Night tram routes", "Night bus routes"]
    html = client.get("/discover/", {"sort": "newest"}, HTTP_ACCEPT_LANGUAGE="es").content
    assert titles(html.decode()) == ["Night tram routes", "Rutas de autobús nocturno"]
    api = client.get("/api/v1/discover/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert api["total"] == 2

    related = backend.related(f"page:{call.uuid}", kind="call", language="en")
    assert [doc["key"] for doc in related] == [f"page:{other.uuid}"]

    committed(spanish.unpublish)
    backend.refresh()
    in_spanish = backend.search(SearchQuery(language="es"))
    assert {hit.key for hit in in_spanish.hits} == {f"page:{call.uuid}", f"page:{other.uuid}"}


def test_results_in_another_language_carry_lang(
    backend, client, committed, publish_asset, publish_call, translate
):
    """Ensures that a result written in another language than the page has a ``lang``
    attribute (a Spanish-locale asset on an English page, an English one on a Spanish
    page) and one in the page's language has none, in results and related items."""
    asset = publish_asset(title="Survey template", languages=["en", "es"], sectors=["mobility"])
    spanish = translate(asset, "es", "Plantilla de encuesta")
    committed(asset.unpublish)  # only the Spanish copy is left
    backend.refresh()
    english_asset = publish_asset(title="Bus stop checklist", languages=["en"])

    html = client.get("/discover/", {"kind": "asset"}).content.decode()
    assert '<h3 lang="es"><a href="' in html and '<p lang="es">' in html
    assert re.search(r'<h3><a href="[^"]*">Bus stop checklist</a>', html)
    html = client.get("/discover/", {"kind": "asset"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r'<h3><a href="[^"]*">Plantilla de encuesta</a>', html)
    assert re.search(r'<h3 lang="en"><a href="[^"]*">Bus stop checklist</a>', html)

    other = publish_asset(title="Bus survey guide", languages=["en"], sectors=["mobility"])
    section = client.get(other.url).content.decode()
    section = section[section.index('id="discovery-related"') :]
    assert re.search(r'<a href="[^"]*" lang="es">Plantilla de encuesta</a>', section)
    assert spanish.live and english_asset.live


@pytest.mark.django_db
def test_seeded_facet_labels_are_in_the_readers_language():
    """Ensures that facet labels of seeded sectors and governance models come from the
    shipped catalogues (Spanish here), and that a sector staff added keeps its name."""
    from django.utils import translation

    from interlink_blocks.models import Sector
    from interlink_search.facets import FACETS

    Sector.objects.create(slug="barrios", name="Barrios de Valmora")
    facets = {facet.name: facet for facet in FACETS}
    with translation.override("es"):
        cache: dict = {}
        sector = facets["sector"].label_for("social-health-care", cache)
        governance = facets["governance_model"].label_for("citizen-sourcing", cache)
        assert sector == translation.gettext("Social and health care") != "Social and health care"
        assert governance == translation.gettext("Citizen sourcing") != "Citizen sourcing"
        assert facets["sector"].label_for("barrios", cache) == "Barrios de Valmora"
