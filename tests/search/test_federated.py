"""Federated items in discovery: they follow their activities (shared suite, both backends)."""

import pytest
from django.utils import timezone
from wagtail.models import Site

from federation import handlers
from federation.models import (
    Following,
    FollowState,
    InboxMessage,
    LocalActor,
    RemoteActor,
    RemoteObject,
)
from search.types import SearchQuery

REMOTE = "http://remote.example"


@pytest.fixture
def remote_town(home, monkeypatch):
    """A remote municipality we follow; actor lookups never leave the process."""
    site = Site.objects.get(is_default_site=True)
    local = LocalActor.objects.create(
        site=site, username="city", public_key_pem="unused", private_key_pem="unused"
    )
    remote = RemoteActor.objects.create(
        uri=f"{REMOTE}/users/town",
        domain="remote.example",
        username="town",
        name="Town of Remote",
        inbox=f"{REMOTE}/users/town/inbox",
        fetched_at=timezone.now(),
    )
    Following.objects.create(
        local_actor=local,
        remote_actor=remote,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"http://testserver/follows/{remote.pk}",
    )
    monkeypatch.setattr(handlers, "fetch_remote_actor", lambda uri: remote)
    return remote


@pytest.fixture
def deliver(remote_town, committed, backend):
    """Stores an inbound activity and handles it as the inbox worker does."""
    counter = iter(range(1000))

    def send(activity_type, obj):
        activity = {
            "id": f"{REMOTE}/activities/{next(counter)}",
            "type": activity_type,
            "actor": remote_town.uri,
            "object": obj,
        }
        message = InboxMessage.objects.create(
            activity_id=activity["id"],
            activity_type=activity_type,
            actor_uri=remote_town.uri,
            body=activity,
        )
        state = committed(handlers.process, message.pk)
        backend.refresh()
        return state

    return send


def remote_call(name, **extra):
    return {
        "id": f"{REMOTE}/objects/1",
        "type": "Article",
        "interlink:kind": "call",
        "name": name,
        "summary": "Join the <b>bicycle</b> lanes workshop.",
        "content": "<p>We redesign the cycling network with residents.</p>",
        "url": f"{REMOTE}/calls/cycling/",
        "contentMap": {"en": "<p>We redesign the cycling network with residents.</p>"},
        "published": "2026-10-01T10:00:00Z",
        "updated": "2026-10-01T10:00:00Z",
        "adms:status": "open",
        "interlink:phase": "design",
        "interlink:deadline": "2027-01-15",
        "dcat:keyword": ["Mobility"],
        **extra,
    }


def test_federated_items_follow_their_activities(backend, deliver, publish_call):
    """Ensures that a remote call appears on Create (with origin, facets and highlight),
    changes on Update, and disappears on Delete."""
    publish_call(title="Local mobility call", sectors=["mobility"])
    assert deliver("Create", remote_call("Safer cycling lanes")) == "processed"

    results = backend.search(SearchQuery(text="cycling", filters={"origin": ["federated"]}))
    assert [hit.document["title"] for hit in results.hits] == ["Safer cycling lanes"]
    hit = results.hits[0]
    assert hit.key == f"remote:{REMOTE}/objects/1"
    assert hit.document["municipality"] == "Town of Remote"
    assert hit.document["deadline"] == "2027-01-15"
    assert "<mark>" in hit.highlights["title"]
    everything = backend.search(SearchQuery(filters={"sector": ["mobility"]}))
    assert {b.value: b.count for b in everything.facets["origin"]} == {"local": 1, "federated": 1}
    assert {b.value: b.count for b in everything.facets["municipality"]} == {
        "City of Example": 1,
        "Town of Remote": 1,
    }

    updated = remote_call("Safer walking routes", updated="2026-10-02T10:00:00Z")
    updated["content"] = updated["contentMap"]["en"] = "<p>Pavements for everyone.</p>"
    assert deliver("Update", updated) == "processed"
    assert backend.search(SearchQuery(text="walking")).total == 1
    assert backend.search(SearchQuery(text="cycling")).total == 0

    assert deliver("Delete", {"id": f"{REMOTE}/objects/1", "type": "Tombstone"}) == "processed"
    assert RemoteObject.objects.get().deleted_at is not None
    assert backend.search(SearchQuery(filters={"origin": ["federated"]})).total == 0
    assert backend.search(SearchQuery(text="walking")).total == 0


def test_actor_deletion_removes_its_catalogue(backend, deliver, remote_town):
    """Ensures that when a remote actor is deleted, all its items leave discovery."""
    deliver("Create", remote_call("Safer cycling lanes"))
    deliver("Create", {**remote_call("Open data portal"), "id": f"{REMOTE}/objects/2"})
    assert backend.search(SearchQuery()).total == 2
    deliver("Delete", {"id": remote_town.uri, "type": "Person"})
    assert backend.search(SearchQuery()).total == 0


def test_discovery_offers_staff_to_reuse_a_federated_result(backend, deliver, client, admin_client):
    """Ensures that a federated result links to "Reuse in my site" for staff only, and that
    its deadline is a date formatted in the visitor's language, not an ISO string."""
    deliver("Create", remote_call("Safer cycling lanes"))
    reuse_href = "/admin/reuse/remote/?object=http%3A%2F%2Fremote.example%2Fobjects%2F1"

    staff_html = admin_client.get("/discover/", {"q": "cycling"}).content.decode()
    assert "Reuse in my site" in staff_html
    assert reuse_href in staff_html.replace("&amp;", "&")
    assert "15 January 2027" in staff_html

    public = client.get("/discover/", {"q": "cycling"}, HTTP_ACCEPT_LANGUAGE="es")
    html = public.content.decode()
    assert "Reuse in my site" not in html and "/admin/reuse/" not in html
    assert "15 de enero de 2027" in html
