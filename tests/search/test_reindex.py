"""``manage.py reindex``: progress, counts, resumption, alias swap and clean-up."""

import io

import pytest
from django.core.management import CommandError, call_command

from interlink_search import rebuild as rebuild_module
from interlink_search.backends import SearchUnavailable
from interlink_search.documents import make_document
from interlink_search.models import FacetValue, IndexEntry, ReindexRun, token_codes
from interlink_search.types import SearchQuery


def run_reindex(backend_name, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", "--backend", backend_name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reindex_rebuilds_with_progress_and_counts(backend, backend_name, make_call, make_asset):
    """Ensures that reindex indexes every live page (drafts skipped by the sources),
    shows a progress bar, ends with counts, and replaces stale entries."""
    for n in range(3):
        make_call(title=f"Call {n}")
    make_asset(title="Blueprint")
    make_call(title="Draft call", publish=False)
    backend.upsert(
        [make_document(key="page:stale", kind="call", origin="local", title="Gone", url="/")]
    )
    backend.refresh()
    assert backend.keys() == {"page:stale"}  # pages were never published through the queue
    out, err = run_reindex(backend_name, "--batch-size", "2")
    assert f"{backend_name}: indexed 4, skipped 0" in out
    assert "[##############################] 4/4 (100%" in err
    backend.refresh()
    assert backend.search(SearchQuery()).total == 4
    assert "page:stale" not in backend.keys()
    assert ReindexRun.objects.get().finished_at is not None


def test_reindex_resumes_after_interruption(backend, backend_name, make_call, monkeypatch):
    """Ensures that an interrupted reindex keeps its progress and the next run continues
    into the same target without redoing finished batches."""
    for n in range(5):
        make_call(title=f"Call {n}")
    written = []
    original = type(backend).upsert_into

    def flaky(self, target, documents):
        documents = list(documents)
        if len(written) == 2:
            raise SearchUnavailable("engine went away")
        written.append([d["key"] for d in documents])
        return original(self, target, documents)

    monkeypatch.setattr(type(backend), "upsert_into", flaky)
    with pytest.raises(Exception, match="run reindex again to resume"):
        run_reindex(backend_name, "--batch-size", "2")
    run = ReindexRun.objects.get()
    assert run.finished_at is None and run.indexed == 4

    monkeypatch.setattr(type(backend), "upsert_into", original)
    calls = []
    monkeypatch.setattr(
        type(backend),
        "upsert_into",
        lambda self, target, docs: calls.append(target) or original(self, target, docs),
    )
    out, _err = run_reindex(backend_name, "--batch-size", "2")
    assert "indexed 5" in out and "(resumed)" in out
    assert calls == [run.target]  # only the last batch, into the same target
    backend.refresh()
    assert backend.search(SearchQuery()).total == 5


@pytest.mark.elasticsearch
def test_elasticsearch_reindex_swaps_the_alias(settings, osmem_url, make_call):
    """Ensures that an Elasticsearch rebuild goes to a new index and the alias moves to it
    in one step, the old index being dropped."""
    settings.SEARCH_URL, settings.SEARCH_PLAIN_JSON = osmem_url, True
    settings.SEARCH_INDEX_PREFIX = "swap"
    from interlink_search.backends import get_backend

    engine = get_backend("elasticsearch")
    engine.ensure_index()
    before = set(engine.client.indices.get_alias(name=engine.alias).body)
    make_call(title="Call")
    run_reindex("elasticsearch")
    after = set(engine.client.indices.get_alias(name=engine.alias).body)
    assert len(after) == 1 and after.isdisjoint(before)
    assert not engine.client.indices.exists(index=",".join(before))
    assert engine.search(SearchQuery()).total == 1


def test_database_rebuild_keeps_facets_consistent(db, make_call):
    """Ensures that rebuilding the database index twice leaves one entry per page."""
    make_call(title="Call")
    from interlink_search.backends import get_backend

    rebuild_module.rebuild(get_backend("database"))
    rebuild_module.rebuild(get_backend("database"))
    assert IndexEntry.objects.count() == 1
    codes = token_codes(IndexEntry.objects.get().facet_terms)
    assert FacetValue.objects.filter(code__in=codes, field="kind").count() == 1


@pytest.fixture
def engine(settings, osmem_url):
    settings.SEARCH_URL, settings.SEARCH_PLAIN_JSON = osmem_url, True
    settings.SEARCH_TIMEOUT = 30.0
    settings.SEARCH_INDEX_PREFIX = "resume"
    from interlink_search.backends import get_backend

    return get_backend("elasticsearch")


def _interrupt_after_first_batch(monkeypatch, engine):
    original = type(engine).upsert_into
    batches = []

    def flaky(self, target, documents):
        if batches:
            raise SearchUnavailable("engine went away")
        batches.append(target)
        return original(self, target, documents)

    monkeypatch.setattr(type(engine), "upsert_into", flaky)
    with pytest.raises(Exception, match="run reindex again to resume"):
        run_reindex("elasticsearch", "--batch-size", "2")
    monkeypatch.setattr(type(engine), "upsert_into", original)
    return batches[0]


@pytest.mark.elasticsearch
def test_resuming_into_a_vanished_target_starts_again(engine, make_call, monkeypatch):
    """Ensures that when an interrupted rebuild's target index is gone, reindex says so and
    starts from zero instead of resuming (which would have swapped in an index missing
    the batches written before the interruption)."""
    for n in range(5):
        make_call(title=f"Call {n}")
    engine.ensure_index()
    target = _interrupt_after_first_batch(monkeypatch, engine)
    engine.client.indices.delete(index=target)

    out, err = run_reindex("elasticsearch", "--batch-size", "2")
    assert "is gone; started again" in err
    assert "indexed 5" in out and "(restarted)" in out and "(resumed)" not in out
    assert engine.search(SearchQuery()).total == 5


@pytest.mark.elasticsearch
def test_an_incomplete_rebuild_never_goes_live(engine, make_call, monkeypatch):
    """Ensures that a rebuilt index holding fewer documents than were written into it
    does not replace the live index: the alias and the old index stay."""
    make_call(title="Call 0")
    run_reindex("elasticsearch")
    live = set(engine.client.indices.get_alias(name=engine.alias).body)
    make_call(title="Call 1")
    original = type(engine).finish_rebuild

    def lose_one(self, target, expected=None):
        self.client.indices.refresh(index=target)
        first = self.client.search(index=target, size=1).body["hits"]["hits"][0]
        self.client.delete(index=target, id=first["_id"], refresh=True)
        return original(self, target, expected)

    monkeypatch.setattr(type(engine), "finish_rebuild", lose_one)
    with pytest.raises(Exception, match="holds 1 documents but 2 were written"):
        run_reindex("elasticsearch")
    assert set(engine.client.indices.get_alias(name=engine.alias).body) == live
    assert engine.search(SearchQuery()).total == 1  # the old, complete index still answers


def test_reindex_without_an_engine_is_a_clear_error(db, settings):
    """Ensures that asking to reindex Elasticsearch with no SEARCH_URL set is a plain
    command error, not a traceback."""
    settings.SEARCH_URL = ""
    with pytest.raises(CommandError, match="SEARCH_URL is not set"):
        run_reindex("elasticsearch")
