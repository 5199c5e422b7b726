"""Federated items in discovery: they follow their activities (shared suite, both backends)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from interlink_blocks.models import GovernanceModel, LifeEvent
from interlink_federation import handlers, inbound, tasks
from interlink_federation.models import (
    Following,
    FollowState,
    InboxMessage,
    LocalActor,
    RemoteActor,
    RemoteObject,
)
from interlink_federation.search_source import remote_document
from interlink_federation.serialisers import asset_to_ap, call_to_ap
from interlink_search.types import SearchQuery

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
        committed(tasks.process_inbox_backlog.call)  # as the worker runs it: in a batch
        backend.refresh()
        message.refresh_from_db()
        return message.state

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


def _from_another_node(document, number):
    """An object our serialiser wrote, as it arrives from another Interlink node: the
    same terms, under that node's ids (inbound handling applies as in production)."""
    return {
        **{key: value for key, value in document.items() if key != "@context"},
        "id": f"{REMOTE}/ap/objects/{number}",
        "url": f"{REMOTE}/items/{number}/",
        "attributedTo": f"{REMOTE}/users/town",
    }


@pytest.fixture
def city_actor(remote_town):
    return LocalActor.objects.get(username="city")


def test_call_from_another_interlink_node_keeps_its_filter_fields(
    backend, deliver, make_call, city_actor
):
    """Ensures that a call serialised by ``call_to_ap`` and received by another node keeps
    every facet discovery filters on: sector, life event, governance model, who may take
    part, status, phase, deadline and language."""
    call = make_call(
        title="Parents shape the new childcare service",
        sectors=["social-health-care"],
        status="open",
        phase="engage",
        deadline=datetime.date(2031, 5, 1),
        participant_types=["citizens", "businesses"],
        governance_model=GovernanceModel.objects.get(slug="citizen-sourcing"),
    )
    call.life_events.set(LifeEvent.objects.filter(slug="having-a-baby"))
    assert deliver("Create", _from_another_node(call_to_ap(call, city_actor), 1)) == "processed"

    key = f"{REMOTE}/ap/objects/1"
    for facet, value in [
        ("sector", "social-health-care"),
        ("life_event", "having-a-baby"),
        ("governance_model", "citizen-sourcing"),
        ("participants", "businesses"),
        ("status", "open"),
        ("phase", "engage"),
        ("language", "en"),
        ("deadline_year", "2031"),
    ]:
        found = backend.search(SearchQuery(filters={"origin": ["federated"], facet: [value]}))
        assert [hit.key for hit in found.hits] == [f"remote:{key}"], (facet, value)
    document = found.hits[0].document
    assert document["text_language"] == "en" and document["analysis_language"] == "en"
    assert document["licence"] == ""  # a call has no licence facet, as local calls


def test_asset_from_another_interlink_node_keeps_its_filter_fields(
    backend, deliver, make_asset, city_actor, client
):
    """Ensures that an asset serialised by ``asset_to_ap`` keeps its languages (sent as EU
    authority URIs), licence (an SPDX URI), form and target users as facet values, that
    its Spanish text is analysed as Spanish, and that discovery shows language labels and
    a valid lang attribute, never the URIs."""
    asset = make_asset(
        title="Guía para talleres en bibliotecas",
        summary="Cómo organizar talleres con los vecinos.",
        languages=["es", "lv"],
        licence="CC0-1.0",
        form="guide",
        target_users=["civil_servants"],
        sectors=["culture-leisure"],
    )
    sent = asset_to_ap(asset, city_actor)
    assert sent["dct:language"][0].startswith("http://publications.europa.eu/")
    assert deliver("Create", _from_another_node(sent, 2)) == "processed"

    everything = backend.search(SearchQuery(filters={"origin": ["federated"]}))
    assert everything.total == 1
    assert {b.value for b in everything.facets["language"]} == {"es", "lv"}
    assert {b.value for b in everything.facets["licence"]} == {"CC0-1.0"}
    assert {b.value for b in everything.facets["participants"]} == {"civil_servants"}
    assert {b.value for b in everything.facets["asset_form"]} == {"guide"}
    assert {b.value for b in everything.facets["sector"]} == {"culture-leisure"}
    document = everything.hits[0].document
    assert document["analysis_language"] == "es" and document["text_language"] == "es"
    spanish = SearchQuery(text="biblioteca vecino", filters={"origin": ["federated"]})
    assert backend.search(spanish).total == 1  # through the Spanish stems

    html = client.get("/discover/", {"origin": "federated"}).content.decode()
    assert "publications.europa.eu" not in html and "spdx.org" not in html
    assert ">Spanish <span" in html and ">Latvian <span" in html
    assert '<h3 lang="es"><a href="' in html


def test_malformed_dates_from_remote_objects_are_no_dates(backend, remote_town, publish_call):
    """Ensures that an impossible date in a remote object ("2027-02-30") neither breaks
    inbound handling nor the object's document: it is simply no date, and indexing of
    everything else goes on."""
    obj = remote_call("Cycling lanes", **{"interlink:opensAt": "2027-02-30"})
    obj["interlink:deadline"] = "2027-02-31"
    fields = inbound.object_to_fields(obj)
    assert "interlink:opensAt" not in fields["fields"]
    assert "interlink:deadline" not in fields["fields"]
    # A row stored before inbound handling checked dates.
    stored = RemoteObject.objects.create(
        uri=obj["id"],
        actor=remote_town,
        kind="call",
        ap_type="Article",
        name="Cycling lanes",
        fields={"interlink:opensAt": "2027-02-30", "interlink:deadline": "2027-02-31"},
    )
    assert remote_document(stored)["deadline"] is None
    call = publish_call(title="Night bus routes")
    found = {hit.key for hit in backend.search(SearchQuery()).hits}
    assert found == {f"page:{call.uuid}", f"remote:{obj['id']}"}
