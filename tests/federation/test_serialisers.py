"""Outbound mapping: calls and assets as readable Articles with DCAT/ADMS/CPSV fields."""

from __future__ import annotations

from interlink_federation import serialisers


def test_call_to_ap(local_actor, make_call):
    """Ensures that a call is an Article with name, summary, linked content, hashtags, language and CPSV roles."""
    call = make_call(sectors=["culture-leisure"], place="North district")
    document = serialisers.call_to_ap(call, local_actor)
    url = f"http://testserver{call.url}"
    assert document["id"] == local_actor.object_url(call.uuid)
    assert document["type"] == "Article"
    assert document["attributedTo"] == local_actor.actor_id
    assert document["name"] == call.title and document["summary"] == call.summary
    assert f'<a href="{url}">' in document["content"]
    assert document["url"] == url
    assert document["contentMap"] == {"en": document["content"]}
    assert serialisers.PUBLIC in document["to"] and local_actor.followers_url in document["cc"]
    assert document["tag"] == [
        {
            "type": "Hashtag",
            "name": "#CultureAndLeisure",
            "href": "http://testserver/calls/?sector=culture-leisure",
        }
    ]
    assert document["dcat:keyword"] == ["Culture and leisure"]
    assert "@type" not in document  # would collide with AS "type" in JSON-LD
    assert document["interlink:kind"] == "call"
    assert document["adms:status"] == "http://purl.org/adms/status/UnderDevelopment"
    assert document["interlink:status"] == "open"
    roles = {item["cv:role"] for item in document["cv:hasParticipation"]}
    assert roles == {"citizens", "non_profits"}
    assert all(item["@type"] == "cv:Participation" for item in document["cv:hasParticipation"])
    assert document["interlink:deadline"] == call.deadline.isoformat()
    assert document["dct:title"] == call.title and document["dct:description"] == call.summary
    assert document["dct:publisher"] == {"id": local_actor.actor_id, "foaf:name": local_actor.name}
    assert serialisers.context_url(local_actor) in document["@context"]


def test_asset_to_ap(local_actor, make_asset):
    """Ensures that an asset carries ADMS-AP/DCAT terms: title, description, publisher, licence, type, language, status, version, keywords."""
    asset = make_asset(version="2.1", maturity="tested", publisher="City of Example")
    document = serialisers.asset_to_ap(asset, local_actor)
    assert document["type"] == "Article" and document["interlink:kind"] == "asset"
    assert document["dct:title"] == asset.title
    assert document["dct:description"] == asset.summary
    assert document["dct:publisher"]["foaf:name"] == "City of Example"
    assert document["dct:license"] == "http://spdx.org/licenses/CC-BY-4.0"
    assert document["dct:type"] == "http://purl.org/dc/dcmitype/Text"
    assert document["interlink:assetForm"] == "service_blueprint"
    assert document["dct:language"] == [
        "http://publications.europa.eu/resource/authority/language/ENG",
        "http://publications.europa.eu/resource/authority/language/SPA",
    ]
    assert document["adms:status"] == "http://purl.org/adms/status/Completed"
    assert document["interlink:maturity"] == "tested"
    assert document["owl:versionInfo"] == "2.1" and "adms:version" not in document
    assert document["dcat:keyword"] == [] and document["dcat:distribution"] == []
    assert document["dct:identifier"] == f"urn:uuid:{asset.uuid}"
    assert "Creative Commons Attribution 4.0" in document["content"]


def test_asset_round_trips_through_metadata(local_actor, make_asset):
    """Ensures that what we send is what the reuse workflow reads back (same vocabulary)."""
    from interlink_blocks.metadata import from_activity_object, metadata_kind, metadata_licence

    asset = make_asset()
    data = from_activity_object(serialisers.asset_to_ap(asset, local_actor))
    assert metadata_kind(data) == "asset" and metadata_licence(data).spdx_id == "CC-BY-4.0"


def test_vocabulary_terms_are_iris_in_our_context(local_actor, make_asset):
    """Ensures that our context types the vocabulary-valued terms as IRIs, names the version
    with owl:versionInfo (ADMS-AP/DCAT-AP) and has no adms:version."""
    context = serialisers.context_document(local_actor)["@context"]
    assert context["adms:status"] == {"@type": "@id"} and context["dct:type"] == {"@type": "@id"}
    assert context["owl"] == "http://www.w3.org/2002/07/owl#"
    assert "adms:version" not in str(context)
    document = serialisers.asset_to_ap(make_asset(form="software"), local_actor)
    assert document["dct:type"] == "http://purl.org/dc/dcmitype/Software"


def test_vocabulary_iris_read_back_as_our_codes(local_actor, make_asset, make_call):
    """Ensures that the inbound mapping turns the vocabulary IRIs back into our codes, so the
    reuse workflow reads what we send (maturity, form and call status survive)."""
    from interlink_blocks.metadata import from_activity_object, metadata_to_page_fields
    from interlink_federation import inbound

    asset = make_asset(maturity="mature", form="checklist")
    local = inbound.to_local_vocabulary(serialisers.asset_to_ap(asset, local_actor))
    fields = metadata_to_page_fields(from_activity_object(local))
    assert fields["maturity"] == "mature" and fields["form"] == "checklist"
    call = make_call(status="closed", slug="closed-call")
    local = inbound.to_local_vocabulary(serialisers.call_to_ap(call, local_actor))
    assert local["adms:status"] == "closed"
    foreign = inbound.to_local_vocabulary(
        {"interlink:kind": "asset", "adms:status": "http://purl.org/adms/status/Completed"}
    )
    assert "adms:status" not in foreign


def test_activity_wraps_object_without_inner_context(local_actor, make_call):
    """Ensures that a Create embeds the object (without its own @context) and is public."""
    call = make_call()
    obj = serialisers.call_to_ap(call, local_actor)
    create = serialisers.activity(local_actor, "Create", "http://testserver/ap/activities/1", obj)
    assert create["type"] == "Create" and create["actor"] == local_actor.actor_id
    assert "@context" not in create["object"] and create["object"]["id"] == obj["id"]
    assert create["to"] == [serialisers.PUBLIC]


def test_tombstone():
    """Ensures that a Tombstone names its former type and deletion time."""
    tombstone = serialisers.tombstone("http://testserver/ap/objects/1")
    assert tombstone["type"] == "Tombstone" and tombstone["formerType"] == (
        "https://www.w3.org/ns/activitystreams#Article"
    )
    assert tombstone["deleted"].endswith("Z")


def test_html_in_titles_is_escaped(local_actor, make_call):
    """Ensures that markup in a title cannot inject HTML into the content."""
    call = make_call(title="<script>x</script> call")
    assert "<script>" not in serialisers.call_to_ap(call, local_actor)["content"]
