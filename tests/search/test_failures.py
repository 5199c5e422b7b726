"""A document that cannot be built is set aside, visibly, and never holds up the rest."""

import dataclasses
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from interlink_federation.models import RemoteActor, RemoteObject
from interlink_search import registry
from interlink_search.indexing import apply_pending
from interlink_search.models import PendingUpdate, ReindexRun
from interlink_search.types import SearchQuery

SOURCE = "federation.catalogue"


@pytest.fixture
def broken_remote(db, monkeypatch):
    """A federated item whose document raises when built (a bug, a shape we never saw)."""
    actor = RemoteActor.objects.create(
        uri="http://remote.example/users/town",
        domain="remote.example",
        username="town",
        inbox="http://remote.example/users/town/inbox",
        fetched_at=timezone.now(),
    )
    source = registry.get_source(SOURCE)

    def to_document(obj):
        if obj.name == "Broken":
            raise ValueError("day is out of range for month")
        return source.to_document(obj)

    monkeypatch.setitem(
        registry._sources, SOURCE, dataclasses.replace(source, to_document=to_document)
    )

    def make(name):
        return RemoteObject.objects.create(
            uri=f"http://remote.example/objects/{name.lower()}",
            actor=actor,
            kind="call",
            ap_type="Article",
            name=name,
        )

    return make


def test_a_broken_document_does_not_block_indexing(
    backend, backend_name, broken_remote, committed, make_call, publish_call
):
    """Ensures that an object whose document cannot be built is marked invalid with the
    error (and counted), while a local call queued after it is indexed all the same, and
    that ``reindex --pending`` retries it and reports it."""
    committed(broken_remote, "Broken")
    call = publish_call(title="Night bus routes")
    backend.refresh()
    assert [hit.key for hit in backend.search(SearchQuery()).hits] == [f"page:{call.uuid}"]
    invalid = PendingUpdate.objects.get(
        key="remote:http://remote.example/objects/broken", backend=backend_name
    )
    assert invalid.state == PendingUpdate.State.INVALID
    assert "day is out of range" in invalid.last_error and invalid.attempts == 1
    assert not PendingUpdate.objects.filter(state=PendingUpdate.State.PENDING).exists()
    assert apply_pending() == {}  # set aside: the automatic runs no longer try it

    out = io.StringIO()
    call_command("reindex", "--pending", stdout=out)
    assert "could not be built" in out.getvalue()
    assert PendingUpdate.objects.filter(state=PendingUpdate.State.INVALID).count() >= 1


def test_reindex_completes_and_reports_failures(backend, backend_name, broken_remote, make_call):
    """Ensures that reindex indexes everything it can, counts and names what it could not
    build, and still finishes (for Elasticsearch: swaps the alias)."""
    broken_remote("Broken")
    broken_remote("Fine")
    call = make_call(title="Night bus routes")
    out = io.StringIO()
    call_command("reindex", "--backend", backend_name, stdout=out, stderr=io.StringIO())
    assert f"{backend_name}: indexed 2, skipped 0, failed 1" in out.getvalue()
    assert "remote:http://remote.example/objects/broken" in out.getvalue()
    backend.refresh()
    assert {hit.key for hit in backend.search(SearchQuery()).hits} == {
        f"page:{call.uuid}",
        "remote:http://remote.example/objects/fine",
    }
    run = ReindexRun.objects.get()
    assert run.finished_at is not None and run.failed == 1
