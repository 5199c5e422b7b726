"""ActivityStreams conformance of what we emit, read as a JSON-LD processor reads it:
every term is defined by a context we reference (nothing expands to a blank-node term),
every xsd:dateTime value is a date-time with a zone, the actor's key is typed.

The contexts are expanded from local copies (ActivityStreams and security/v1, as Fedify
preloads them; our own from ``serialisers.context_document``): no test touches a network.
"""

from __future__ import annotations

import datetime
import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from pyld import jsonld

from interlink_federation import serialisers
from interlink_federation.models import OutboxActivity

CONTEXTS = Path(__file__).parent / "contexts"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
# xsd:dateTime with a zone (ActivityStreams date-times must say which instant they mean).
DATETIME_WITH_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def expand(document: dict[str, Any], actor) -> list[dict[str, Any]]:
    local = {
        serialisers.AS_CONTEXT: json.loads((CONTEXTS / "activitystreams.jsonld").read_text()),
        serialisers.SECURITY_CONTEXT: json.loads((CONTEXTS / "security-v1.jsonld").read_text()),
        serialisers.context_url(actor): serialisers.context_document(actor),
    }

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if url not in local:
            raise AssertionError(f"a document references a context we do not serve: {url}")
        return {"contextUrl": None, "documentUrl": url, "document": local[url]}

    return jsonld.expand(document, {"documentLoader": loader})


def walk(node: Any):
    if isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)


def undefined_terms(expanded: Any) -> set[str]:
    """Properties and types that no context defines: ActivityStreams' ``"@vocab": "_:"``
    turns them into blank-node terms (and most processors then drop them)."""
    found = set()
    for node in walk(expanded):
        found |= {key for key in node if key.startswith("_:")}
        types = node.get("@type", [])
        for value in types if isinstance(types, list) else [types]:
            if isinstance(value, str) and value.startswith("_:"):
                found.add(value)
    return found


def datetimes(expanded: Any) -> list[str]:
    return [node["@value"] for node in walk(expanded) if node.get("@type") == XSD_DATETIME]


def assert_conforms(document: dict[str, Any], actor) -> list[dict[str, Any]]:
    expanded = expand(document, actor)
    assert undefined_terms(expanded) == set()
    for value in datetimes(expanded):
        assert DATETIME_WITH_ZONE.match(value), value
    return expanded


def emitted(local_actor, make_call, make_asset, story_index) -> dict[str, dict[str, Any]]:
    """One of every kind of document we serve or send."""
    from interlink_blocks.models import StoryPage

    call = make_call(sectors=["culture-leisure"], deadline=datetime.date(2027, 1, 6))
    open_ended = make_call(title="Open-ended call", opens_at=None, deadline=None)
    asset = make_asset(version="2.1")
    done = make_call(title="Quiet rooms", status="completed", deadline=None)
    story = story_index.add_child(
        instance=StoryPage(title="Quiet rooms opened", summary="It worked.", call=done)
    )
    story.produced_assets.set([asset])
    story.save_revision().publish()
    call_object = serialisers.call_to_ap(call, local_actor)
    follow = {
        "id": "https://remote.example/follows/1",
        "type": "Follow",
        "actor": "https://remote.example/users/town",
        "object": local_actor.actor_id,
    }
    url = call_object["url"]
    contribution = type(
        "Contribution",
        (),
        {
            "pk": 1,
            "source": "local",
            "remote_object_id": "",
            "parent_id": None,
            "title": "Idea",
            "body": "Open later",
            "public_author": "Ana",
            "published_at": None,
            "created_at": datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC),
        },
    )()
    note = serialisers.contribution_item(contribution, call_object["id"], url, local_actor)
    return {
        "actor": serialisers.actor_to_ap(local_actor, icon_url="http://testserver/icon.png"),
        "call": call_object,
        "call without dates": serialisers.call_to_ap(open_ended, local_actor),
        "asset": serialisers.asset_to_ap(asset, local_actor),
        "story": serialisers.story_to_ap(story, local_actor),
        "create": serialisers.activity(local_actor, "Create", "http://testserver/a/1", call_object),
        "delete": serialisers.activity(
            local_actor, "Delete", "http://testserver/a/2", serialisers.tombstone(call_object["id"])
        ),
        "accept": serialisers.activity(
            local_actor,
            "Accept",
            "http://testserver/a/3",
            follow,
            public=False,
            to=[follow["actor"]],
        ),
        "replies page": {
            **serialisers.ordered_collection_page(
                f"{call_object['id']}/replies",
                f"{call_object['id']}/replies?page=1",
                [note],
                None,
                None,
            ),
            "@context": serialisers.object_context(local_actor),
        },
        "collection": serialisers.ordered_collection(
            local_actor.outbox_url, 3, "http://testserver/o?page=1"
        ),
    }


def test_every_document_uses_only_defined_terms_and_zoned_datetimes(
    local_actor, make_call, make_asset, story_index
):
    """Ensures that each kind of document we emit expands without any blank-node term and
    that every xsd:dateTime in it carries a time and a zone."""
    for name, document in emitted(local_actor, make_call, make_asset, story_index).items():
        try:
            assert_conforms(document, local_actor)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_tombstone_former_type_expands_to_the_activitystreams_type(local_actor):
    """Ensures that a Tombstone's formerType expands to as:Article: ActivityStreams' context
    types formerType as @id, so a bare "Article" would expand to a relative IRI."""
    document = {
        "@context": serialisers.AS_CONTEXT,
        **serialisers.tombstone("http://testserver/ap/objects/1"),
    }
    [node] = expand(document, local_actor)
    assert node["https://www.w3.org/ns/activitystreams#formerType"] == [
        {"@id": "https://www.w3.org/ns/activitystreams#Article"}
    ]


def test_actor_terms_and_typed_key(local_actor):
    """Ensures that the actor's discoverable flag survives expansion (Mastodon's term) and
    that its publicKey is a typed security Key."""
    expanded = assert_conforms(serialisers.actor_to_ap(local_actor), local_actor)[0]
    assert expanded["http://joinmastodon.org/ns#discoverable"] == [{"@value": True}]
    [key] = expanded["https://w3id.org/security#publicKey"]
    assert key["@type"] == ["https://w3id.org/security#Key"]
    assert serialisers.actor_to_ap(local_actor)["publicKey"]["type"] == "CryptographicKey"


@pytest.mark.parametrize(
    "zone, start, end",
    [
        ("Europe/Brussels", "2026-12-01T00:00:00+01:00", "2027-01-06T23:59:59+01:00"),
        ("America/New_York", "2026-12-01T00:00:00-05:00", "2027-01-06T23:59:59-05:00"),
        ("Europe/Riga", "2026-12-01T00:00:00+02:00", "2027-01-06T23:59:59+02:00"),
    ],
)
def test_call_days_are_datetimes_in_the_site_time_zone(
    settings, local_actor, make_call, zone, start, end
):
    """Ensures that a call's opening date is startTime at the start of that day and its
    deadline endTime at the end of that day, in the site's time zone, while the days
    themselves stay dates (typed xsd:date in our context)."""
    settings.TIME_ZONE = zone
    call = make_call(opens_at=datetime.date(2026, 12, 1), deadline=datetime.date(2027, 1, 6))
    document = serialisers.call_to_ap(call, local_actor)
    assert (document["startTime"], document["endTime"]) == (start, end)
    assert document["interlink:deadline"] == "2027-01-06"
    expanded = assert_conforms(document, local_actor)[0]
    deadline = expanded["https://w3id.org/interlink/ns#deadline"]
    assert deadline == [{"@type": "http://www.w3.org/2001/XMLSchema#date", "@value": "2027-01-06"}]


def test_stored_bare_date_end_times_are_rewritten(local_actor, settings):
    """Ensures that the data migration turns a bare-date endTime in a stored Create into
    the end of that day in the site's time zone, and leaves other activities alone."""
    settings.TIME_ZONE = "Europe/Brussels"
    create = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id="http://testserver/ap/activities/old-create",
        activity_type="Create",
        document={"type": "Create", "object": {"type": "Article", "endTime": "2027-01-06"}},
    )
    follow = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id="http://testserver/ap/activities/old-follow",
        activity_type="Follow",
        document={"type": "Follow", "object": "https://remote.example/users/town"},
    )
    migration = importlib.import_module(
        "interlink_federation.migrations.0004_outbox_end_time_as_datetime"
    )
    migration.rewrite_end_times(apps, None)
    create.refresh_from_db()
    follow.refresh_from_db()
    assert create.document["object"]["endTime"] == "2027-01-06T23:59:59+01:00"
    assert follow.document == {"type": "Follow", "object": "https://remote.example/users/town"}
