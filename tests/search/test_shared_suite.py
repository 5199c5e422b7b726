"""The shared search suite: every test runs on the database backend and on
Elasticsearch (osmem-server), through the same indexing path production uses."""

import datetime

import pytest
from django.utils import timezone

from interlink_search.indexing import apply_pending
from interlink_search.models import PendingUpdate
from interlink_search.types import SearchQuery


def keys(results):
    return [hit.key for hit in results.hits]


def counts(results, facet):
    return {bucket.value: bucket.count for bucket in results.facets[facet]}


@pytest.fixture
def corpus(publish_call, publish_asset):
    """Two calls and three assets in different sectors, languages and licences."""
    today = timezone.localdate()
    return {
        "care_call": publish_call(
            title="Redesign the home-care request service",
            sectors=["social-health-care"],
            deadline=today + datetime.timedelta(days=30),
        ),
        "bus_call": publish_call(
            title="Better night buses for shift workers",
            summary="Tell us when and where you need a bus after midnight.",
            sectors=["mobility"],
            phase="engage",
            deadline=today + datetime.timedelta(days=5),
        ),
        "care_asset": publish_asset(sectors=["social-health-care"], languages=["en"]),
        "library_asset": publish_asset(
            title="Guía de participación ciudadana para bibliotecas",
            summary="Cómo organizar talleres con los vecinos en las bibliotecas públicas.",
            sectors=["culture-leisure"],
            languages=["es"],
            licence="CC0-1.0",
            form="guide",
        ),
        "mobility_asset": publish_asset(
            title="Night bus survey template",
            summary="A survey template for asking residents about night buses.",
            sectors=["mobility"],
            languages=["en"],
            form="survey_template",
        ),
    }


def test_facet_counts_under_filters(backend, corpus):
    """Ensures that facet counts match the hits under filters: AND across facets, and a
    filtered facet still counts its alternatives (so people can widen the choice)."""
    everything = backend.search(SearchQuery())
    assert everything.total == 5
    assert counts(everything, "kind") == {"call": 2, "asset": 3}
    assert counts(everything, "sector") == {
        "social-health-care": 2,
        "mobility": 2,
        "culture-leisure": 1,
    }

    filtered = backend.search(SearchQuery(filters={"kind": ["asset"], "sector": ["mobility"]}))
    assert keys(filtered) == [f"page:{corpus['mobility_asset'].uuid}"]
    assert filtered.total == 1
    # Sector counts ignore the sector filter but honour kind=asset.
    assert counts(filtered, "sector") == {
        "social-health-care": 1,
        "mobility": 1,
        "culture-leisure": 1,
    }
    # Kind counts ignore the kind filter but honour sector=mobility.
    assert counts(filtered, "kind") == {"call": 1, "asset": 1}
    assert counts(filtered, "asset_form") == {"survey_template": 1}
    assert counts(filtered, "origin") == {"local": 1}

    either = backend.search(SearchQuery(filters={"sector": ["mobility", "culture-leisure"]}))
    assert either.total == 3
    assert counts(either, "licence") == {"CC-BY-4.0": 1, "CC0-1.0": 1}
    assert counts(either, "kind") == {"call": 1, "asset": 2}


def test_highlight_marks_matches_and_escapes(backend, publish_asset):
    """Ensures that hits carry highlighted fragments with <mark> and nothing else as markup."""
    publish_asset(
        title="Night bus <script> survey",
        summary="Ask residents about buses at night.",
        languages=["en"],
    )
    results = backend.search(SearchQuery(text="survey"))
    assert results.total == 1
    title = results.hits[0].highlights["title"]
    assert "<mark>survey</mark>" in title
    assert "<script>" not in title and "&lt;script&gt;" in title


def test_suggestions_complete_any_title_word(backend, corpus):
    """Ensures that completion suggests titles by the start of any of their words,
    without regard to case or accents."""
    assert backend.suggest("nigh") == ["Night bus survey template"] or set(
        backend.suggest("nigh")
    ) == {"Night bus survey template", "Better night buses for shift workers"}
    assert set(backend.suggest("nigh")) == {
        "Night bus survey template",
        "Better night buses for shift workers",
    }
    assert backend.suggest("GUIA") == ["Guía de participación ciudadana para bibliotecas"]
    assert backend.suggest("zzz") == []


def test_spanish_query_finds_spanish_asset_by_stemming(backend, corpus):
    """Ensures that a Spanish query finds the Spanish asset through Spanish stemming:
    "biblioteca" (singular) matches "bibliotecas", "organización" matches "organizar"
    and "vecino" matches "vecinos" only via their stems, and an unaccented query matches accented text."""
    library = f"page:{corpus['library_asset'].uuid}"
    assert keys(backend.search(SearchQuery(text="biblioteca"))) == [library]
    assert keys(backend.search(SearchQuery(text="organización vecino"))) == [library]
    assert keys(backend.search(SearchQuery(text="participacion ciudadanas"))) == [library]
    assert keys(backend.search(SearchQuery(text="bibliotequeria"))) == []


def test_sorting_and_search_after_pagination(backend, corpus):
    """Ensures that deadline sorting puts the soonest first, calls without deadline last,
    and that search_after cursors walk every hit exactly once."""
    by_deadline = backend.search(SearchQuery(sort="deadline", size=10))
    assert keys(by_deadline)[:2] == [
        f"page:{corpus['bus_call'].uuid}",
        f"page:{corpus['care_call'].uuid}",
    ]
    for sort in ("relevance", "deadline", "newest"):
        seen, after = [], None
        while True:
            page = backend.search(SearchQuery(sort=sort, size=2, after=after))
            seen += keys(page)
            assert page.total == 5
            if page.next_after is None:
                break
            after = page.next_after
        assert len(seen) == 5 and len(set(seen)) == 5, sort
    newest = backend.search(SearchQuery(sort="newest", size=1))
    assert keys(newest) == [f"page:{corpus['mobility_asset'].uuid}"]


def test_unpublish_and_delete_leave_the_index(backend, corpus, committed):
    """Ensures that unpublishing or deleting a page removes it from the index."""
    committed(corpus["bus_call"].unpublish)
    committed(corpus["care_asset"].delete)
    backend.refresh()
    remaining = set(keys(backend.search(SearchQuery(size=10))))
    assert f"page:{corpus['bus_call'].uuid}" not in remaining
    assert f"page:{corpus['care_asset'].uuid}" not in remaining
    assert len(remaining) == 3
    assert not PendingUpdate.objects.exists()


def test_related_items_share_sectors(backend, corpus):
    """Ensures that related items of an asset are those sharing its sector, of the
    requested kind, never the item itself."""
    related = backend.related(f"page:{corpus['mobility_asset'].uuid}", kind="call")
    assert [doc["key"] for doc in related][:1] == [f"page:{corpus['bus_call'].uuid}"]
    related_assets = backend.related(f"page:{corpus['care_call'].uuid}", kind="asset")
    assert f"page:{corpus['care_asset'].uuid}" in [doc["key"] for doc in related_assets]
    assert f"page:{corpus['care_call'].uuid}" not in [doc["key"] for doc in related_assets]


def test_draft_saves_do_not_reach_the_index(backend, make_call, committed):
    """Ensures that only publication indexes a page: a saved draft stays out."""
    committed(make_call, publish=False, title="Secret draft about parks")
    assert apply_pending() == {}
    assert backend.search(SearchQuery(text="parks")).total == 0


def test_words_and_filters_together(backend, corpus):
    """Ensures that words and filters combine as the discovery page asks (the
    benchmark's query): hits and total match both, a filtered facet counts its
    alternatives under the words and the other filters, and a filter value nobody
    uses matches nothing while its own facet still shows what exists."""
    night = backend.search(
        SearchQuery(text="night", filters={"kind": ["asset"], "sector": ["mobility"]})
    )
    assert keys(night) == [f"page:{corpus['mobility_asset'].uuid}"]
    assert night.total == 1
    assert "<mark>" in night.hits[0].highlights["title"]
    assert counts(night, "kind") == {"call": 1, "asset": 1}
    assert counts(night, "sector") == {"mobility": 1}
    assert counts(night, "asset_form") == {"survey_template": 1}

    nothing = backend.search(SearchQuery(text="night", filters={"sector": ["no-such-sector"]}))
    assert nothing.total == 0 and not nothing.hits
    assert counts(nothing, "sector") == {"mobility": 2}
    assert counts(nothing, "kind") == {}


def test_deadline_sort_puts_upcoming_first_then_past_then_none(
    backend, publish_call, publish_asset
):
    """Ensures that "Deadline, soonest first" lists upcoming deadlines soonest first
    (today's included), then past deadlines, then items without a deadline, the same on
    every backend, and that its cursors walk that order exactly once."""
    today = timezone.localdate()
    made = {
        days: publish_call(
            title=f"Call {days}",
            opens_at=today - datetime.timedelta(days=60),
            deadline=today + datetime.timedelta(days=days),
        )
        for days in (-1, 30, -40, 0, 5)
    }
    asset = publish_asset(title="Survey template")
    expected = [f"page:{made[d].uuid}" for d in (0, 5, 30, -40, -1)] + [f"page:{asset.uuid}"]
    assert keys(backend.search(SearchQuery(sort="deadline", size=10))) == expected

    seen, after = [], None
    while True:
        page = backend.search(SearchQuery(sort="deadline", size=2, after=after))
        seen += keys(page)
        if page.next_after is None:
            break
        assert page.next_after[0] in (0, 1, 2)  # the bucket travels in the cursor
        after = page.next_after
    assert seen == expected


def test_folding_matches_letters_without_decomposition(backend, publish_asset):
    """Ensures that both backends fold as Elasticsearch's asciifolding does, including
    letters Unicode does not decompose: "strasse" finds "Straße", "aero" finds "Ærø",
    "lodz" finds "Łódź"."""
    street = publish_asset(title="Straße der Beteiligung", languages=["de"])
    island = publish_asset(title="Ærø ferry survey", languages=["da"])
    city = publish_asset(title="Łódź participatory budget", languages=["pl"])
    for text, page in (("strasse", street), ("aero", island), ("lodz", city)):
        assert keys(backend.search(SearchQuery(text=text))) == [f"page:{page.uuid}"], text
