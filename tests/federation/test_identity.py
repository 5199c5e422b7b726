"""Node identity: actor document, WebFinger, NodeInfo, collections, context, negotiation."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from interlink_federation.models import Follower, FollowState, OutboxActivity

AS_LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def test_actor_document(client, local_actor):
    """Ensures that the actor is an Organization with inbox, outbox, collections, shared inbox and key."""
    response = client.get("/ap/actor", HTTP_ACCEPT="application/activity+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json"
    document = response.json()
    assert document["type"] == "Organization"
    assert document["id"] == "http://testserver/ap/actor"
    assert document["inbox"] == "http://testserver/ap/inbox"
    assert document["outbox"] == "http://testserver/ap/outbox"
    assert document["followers"] == "http://testserver/ap/followers"
    assert document["following"] == "http://testserver/ap/following"
    assert document["endpoints"]["sharedInbox"] == "http://testserver/inbox"
    assert document["name"] == "City of Example"
    assert document["icon"]["url"].endswith("/interlink_federation/icon.png")
    assert document["url"] == "http://testserver/"
    assert "summary" in document
    assert document["publicKey"]["id"] == "http://testserver/ap/actor#main-key"
    assert document["publicKey"]["owner"] == document["id"]
    assert document["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_actor_served_as_ld_json(client, local_actor):
    """Ensures that asking for ld+json with the AS profile gets that content type."""
    response = client.get("/ap/actor", HTTP_ACCEPT=AS_LD)
    assert response["Content-Type"] == AS_LD


def test_key_pair_generated_once(local_actor):
    """Ensures that the key pair is generated on first use and kept afterwards."""
    from interlink_federation.actors import get_local_actor

    again = get_local_actor(local_actor.site)
    assert again.pk == local_actor.pk and again.private_key_pem == local_actor.private_key_pem


def test_webfinger(client, local_actor):
    """Ensures that acct:NAME@HOST resolves to the actor and unknown names do not."""
    resource = f"acct:{local_actor.username}@testserver"
    response = client.get("/.well-known/webfinger", {"resource": resource})
    assert response.status_code == 200
    document = response.json()
    assert document["subject"] == resource
    assert {
        "rel": "self",
        "type": "application/activity+json",
        "href": "http://testserver/ap/actor",
    } in document["links"]
    assert (
        client.get("/.well-known/webfinger", {"resource": "acct:nobody@testserver"}).status_code
        == 404
    )
    assert client.get("/.well-known/webfinger").status_code == 400


def test_nodeinfo(client, local_actor, make_call):
    """Ensures that NodeInfo 2.1 is linked from .well-known and counts public posts."""
    make_call()
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    document = client.get("/nodeinfo/2.1").json()
    assert document["version"] == "2.1"
    assert document["protocols"] == ["activitypub"]
    assert document["usage"]["localPosts"] == 1


def test_outbox_is_paged(client, local_actor, make_call, settings):
    """Ensures that the outbox is an OrderedCollection with pages of public activities."""
    for number in range(25):
        make_call(title=f"Call {number}", slug=f"call-{number}")
    collection = client.get("/ap/outbox", HTTP_ACCEPT="application/activity+json").json()
    assert collection["type"] == "OrderedCollection"
    assert collection["totalItems"] == 25
    first = client.get("/ap/outbox?page=1").json()
    assert first["type"] == "OrderedCollectionPage"
    assert len(first["orderedItems"]) == 20
    assert first["orderedItems"][0]["type"] == "Create"
    assert first["next"].endswith("page=2")
    second = client.get("/ap/outbox?page=2").json()
    assert len(second["orderedItems"]) == 5 and "next" not in second
    assert client.get("/ap/outbox?page=x").status_code == 400


def test_followers_and_following_collections(client, local_actor, remote_actor):
    """Ensures that followers lists accepted followers only."""
    Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.PENDING,
        follow_activity_id="https://remote.example/f/1",
    )
    assert client.get("/ap/followers").json()["totalItems"] == 0
    Follower.objects.update(state=FollowState.ACCEPTED)
    assert client.get("/ap/followers").json()["totalItems"] == 1
    assert client.get("/ap/followers?page=1").json()["orderedItems"] == [remote_actor.uri]
    assert client.get("/ap/following").json()["totalItems"] == 0


def test_context_document(client, local_actor):
    """Ensures that our JSON-LD extension context maps DCAT, ADMS and CPSV prefixes."""
    response = client.get("/ap/context.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    context = response.json()["@context"]
    assert context["dcat"] == "http://www.w3.org/ns/dcat#"
    assert context["adms"] == "http://www.w3.org/ns/adms#"
    assert context["cv"] == "http://data.europa.eu/m8g/"
    assert context["dct"] == "http://purl.org/dc/terms/"


def test_call_url_negotiates_activitystreams(client, local_actor, make_call):
    """Ensures that a public call's URL answers with its AS object when asked, HTML otherwise."""
    call = make_call()
    response = client.get(call.url, HTTP_ACCEPT="application/activity+json")
    assert response["Content-Type"] == "application/activity+json"
    assert response.json()["id"] == f"http://testserver/ap/objects/{call.uuid}"
    html = client.get(call.url, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    by_id = client.get(f"/ap/objects/{call.uuid}", HTTP_ACCEPT=AS_LD)
    assert by_id.status_code == 200 and by_id["Content-Type"] == AS_LD


def test_html_of_call_and_asset_urls_varies_on_accept(client, local_actor, make_call, make_asset):
    """Ensures that the HTML answer of a negotiated URL says Vary: Accept, so caches keep
    the HTML and the AS object apart."""
    for page in (make_call(), make_asset()):
        html = client.get(page.url, HTTP_ACCEPT="text/html")
        assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
        assert "Accept" in [part.strip() for part in html["Vary"].split(",")]


def test_private_page_never_negotiates(client, local_actor, make_asset):
    """Ensures that a page behind a view restriction never answers with its AS object."""
    asset = make_asset()
    PageViewRestriction.objects.create(page=asset, restriction_type="password", password="secret")
    response = client.get(asset.url, HTTP_ACCEPT="application/activity+json")
    assert not response["Content-Type"].startswith("application/activity+json")
    # It had been federated: restricting it withdrew it, so its id is a Tombstone now.
    withdrawn = client.get(f"/ap/objects/{asset.uuid}")
    assert withdrawn.status_code == 410 and withdrawn.json()["type"] == "Tombstone"
    assert asset.title not in withdrawn.content.decode()


def test_deleted_object_is_tombstone(client, local_actor, make_call):
    """Ensures that an unpublished call's object id answers 410 with a Tombstone."""
    call = make_call()
    call.unpublish()
    response = client.get(f"/ap/objects/{call.uuid}")
    assert response.status_code == 410
    assert response.json()["type"] == "Tombstone"
    assert OutboxActivity.objects.filter(activity_type="Delete").count() == 1


@pytest.mark.parametrize("path", ["/ap/actor", "/ap/outbox", "/.well-known/nodeinfo"])
def test_documents_are_read_only(client, local_actor, path):
    """Ensures that the documents refuse writes."""
    assert client.post(path).status_code == 405


def test_each_site_is_its_own_actor(client, local_actor, home):
    """Ensures that every Wagtail Site gets its own actor, keys and WebFinger name, chosen by host."""
    from wagtail.models import Site

    Site.objects.create(hostname="second.test", port=80, root_page=home, site_name="Second Town")
    first = client.get("/ap/actor").json()
    second = client.get("/ap/actor", HTTP_HOST="second.test").json()
    assert first["id"] == "http://testserver/ap/actor"
    assert second["id"] == "http://second.test/ap/actor"
    assert second["type"] == "Organization" and second["name"] == "Second Town"
    assert second["publicKey"]["id"] == "http://second.test/ap/actor#main-key"
    finger = client.get(
        "/.well-known/webfinger",
        {"resource": "acct:second-town@second.test"},
        HTTP_HOST="second.test",
    )
    assert finger.json()["links"][0]["href"] == "http://second.test/ap/actor"


def test_webfinger_unknown_resource_answers_json_404(client, local_actor):
    """Ensures that an unknown WebFinger resource gets a JSON 404 (RFC 7033), not the
    site's HTML "page not found"."""
    response = client.get("/.well-known/webfinger", {"resource": "acct:nobody@testserver"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "unknown resource"}
