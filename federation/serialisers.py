"""Outbound ActivityStreams: pure functions from our pages and actors to AS documents.

Objects are ``Article``s Mastodon renders readably (name, summary, content with a link
back, hashtags, attachments, ``contentMap`` for the language) and carry their structured
fields through our JSON-LD extension context (``/ap/context.jsonld``), which maps short
prefixes to ADMS-AP/DCAT (assets) and CPSV-AP/Core Vocabularies (calls).
No database writes and no network here: the caller passes the actor and the page.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.html import escape, format_html

from interlink_blocks.metadata import JSONLD_CONTEXT, page_metadata

if TYPE_CHECKING:
    from interlink_blocks.models import AssetPage, CallPage, StoryPage

    from .models import LocalActor

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
AS_NAMESPACE = AS_CONTEXT + "#"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
AS_EXTENSIONS = {"Hashtag": "as:Hashtag", "sensitive": "as:sensitive"}
# Terms of the actor outside ActivityStreams and security/v1, defined as Mastodon defines
# them (without a definition, "discoverable" expands to a blank-node term and is dropped).
ACTOR_EXTENSIONS = {
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "toot": "http://joinmastodon.org/ns#",
    "discoverable": "toot:discoverable",
}

# Controlled vocabularies where one exists. ADMS-AP takes adms:status from the ADMS status
# vocabulary (http://purl.org/adms/status/: Completed, Deprecated, UnderDevelopment,
# Withdrawn); dct:type of a resource from the DCMI Type Vocabulary. Our finer codes travel
# next to them (``interlink:status`` of a call, ``interlink:maturity`` and
# ``interlink:assetForm`` of an asset) and ``inbound.to_local_vocabulary`` reads them back.
ADMS_STATUS = "http://purl.org/adms/status/"
DCMI_TYPE = "http://purl.org/dc/dcmitype/"
CALL_STATUS_TO_ADMS = {
    "draft_idea": "UnderDevelopment",
    "open": "UnderDevelopment",
    "in_progress": "UnderDevelopment",
    "closed": "Completed",
    "completed": "Completed",
}
MATURITY_TO_ADMS = {
    "concept": "UnderDevelopment",
    "pilot": "UnderDevelopment",
    "tested": "Completed",
    "mature": "Completed",
}
ASSET_FORM_TO_DCMI = {"software": "Software", "dataset": "Dataset"}  # other forms: Text
# Our context adds typing for the vocabulary-valued terms (IRIs, not strings) and for a
# call's days (dates, not date-times: ActivityStreams' startTime/endTime carry the times).
VOCABULARY_TERMS = {
    "adms:status": {"@type": "@id"},
    "dct:type": {"@type": "@id"},
    "interlink:opensAt": {"@type": "xsd:date"},
    "interlink:deadline": {"@type": "xsd:date"},
    "interlink:call": {"@type": "@id"},
    "interlink:producedAssets": {"@type": "@id", "@container": "@set"},
}


def context_url(actor: LocalActor) -> str:
    return f"{actor.base_url}/ap/context.jsonld"


def context_document(actor: LocalActor) -> dict[str, Any]:
    """Our extension context: the DCAT / ADMS / CPSV-AP prefixes and term definitions that
    ``interlink_blocks.metadata`` writes (one vocabulary for federation and reuse), plus the
    typing of the vocabulary-valued terms our objects carry as IRIs."""
    return {"@context": {**JSONLD_CONTEXT, **VOCABULARY_TERMS}}


def object_context(actor: LocalActor) -> list[Any]:
    return [AS_CONTEXT, AS_EXTENSIONS, context_url(actor)]


def _iso(value: datetime | None) -> str | None:
    """An ``xsd:dateTime`` in UTC (``…Z``), as every date-time property we emit is."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day_start(day: date) -> str:
    """The first second of ``day`` in the site's time zone (``TIME_ZONE``), as an
    ``xsd:dateTime`` with its offset: a call opens at the start of its opening date."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone()).isoformat()


def day_end(day: date) -> str:
    """The last second of ``day`` in the site's time zone (``TIME_ZONE``), as an
    ``xsd:dateTime`` with its offset: a call takes contributions until the end of its
    deadline day (``CallPage.is_past_deadline`` compares local dates). With
    ``TIME_ZONE = "Europe/Brussels"``, 6 January 2027 ends at ``2027-01-06T23:59:59+01:00``.
    """
    end = datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_default_timezone())
    return end.isoformat()


def _absolute(actor: LocalActor, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{actor.base_url}{url}"


def page_url(page: Any, actor: LocalActor) -> str:
    relative = page.get_url() or ""
    return _absolute(actor, relative)


def _hashtag(name: str) -> str:
    return "#" + "".join(part.capitalize() for part in name.replace("-", " ").split())


def _tags(page: Any, actor: LocalActor, base: str) -> tuple[list[dict[str, Any]], list[str]]:
    tags, keywords = [], []
    for sector in page.sectors.all():
        keywords.append(str(sector.name))
        tags.append(
            {
                "type": "Hashtag",
                "name": _hashtag(str(sector.name)),
                "href": f"{base}?sector={sector.slug}",
            }
        )
    return tags, keywords


def _content(page: Any, url: str, facts: list[tuple[str, str]]) -> str:
    """Plain, Mastodon-friendly HTML: summary, a few facts, and the link back."""
    parts: list[str] = [format_html("<p><strong>{}</strong></p>", page.title)]
    if page.summary:
        parts.append(format_html("<p>{}</p>", page.summary))
    if facts:
        items = "".join(str(format_html("<li>{}: {}</li>", label, value)) for label, value in facts)
        parts.append(f"<ul>{items}</ul>")
    parts.append(format_html('<p><a href="{}">{}</a></p>', url, url))
    return "".join(str(part) for part in parts)


def _language(page: Any) -> str:
    locale = getattr(page, "locale", None)
    return getattr(locale, "language_code", "") or "en"


def _base_object(
    page: Any, actor: LocalActor, content: str, tags: list[dict[str, Any]]
) -> dict[str, Any]:
    url = page_url(page, actor)
    language = _language(page)
    return {
        "@context": object_context(actor),
        "id": actor.object_url(page.uuid),
        "type": "Article",
        "attributedTo": actor.actor_id,
        "name": page.title,
        "summary": page.summary or None,
        "content": content,
        "contentMap": {language: content},
        "url": url,
        "published": _iso(page.first_published_at),
        "updated": _iso(page.last_published_at),
        "to": [PUBLIC],
        "cc": [actor.followers_url],
        "tag": tags,
        "attachment": [],
    }


def _structured(page: Any, actor: LocalActor, publisher: str) -> dict[str, Any]:
    """ADMS-AP / DCAT / CPSV-AP terms from ``interlink_blocks.metadata`` (one vocabulary for
    federation and reuse packages), with the publisher bound to our actor."""
    terms = page_metadata(page, base_url=actor.base_url, publisher=publisher)
    # "@type" next to ActivityStreams' "type" (an alias of "@type") is a JSON-LD error, and
    # Mastodon only renders a plain "Article"; the kind travels as "interlink:kind".
    terms.pop("@type", None)
    terms["dct:publisher"] = {"id": actor.actor_id, **terms.get("dct:publisher", {})}
    return terms


def _label(page: Any, field: str) -> str:
    return str(page._meta.get_field(field).verbose_name).capitalize()


def call_to_ap(page: CallPage, actor: LocalActor) -> dict[str, Any]:
    """A co-production call: an Article plus CPSV-AP terms (``cv:Participation`` roles)."""
    index_url = _absolute(actor, page.get_parent().get_url() or "/")
    tags, _keywords = _tags(page, actor, index_url)
    facts = [(_label(page, "status"), page.get_status_display())]
    if page.deadline:
        facts.append((_label(page, "deadline"), page.deadline.isoformat()))
    if page.participant_types:
        labels = ", ".join(str(label) for label in page.participant_type_labels)
        facts.append((_label(page, "participant_types"), labels))
    document = _base_object(page, actor, _content(page, page_url(page, actor), facts), tags)
    document.update(_structured(page, actor, actor.name))
    status = document.get("adms:status")
    document["interlink:status"] = status
    document["adms:status"] = ADMS_STATUS + CALL_STATUS_TO_ADMS.get(str(status), "UnderDevelopment")
    if page.opens_at:
        document["startTime"] = day_start(page.opens_at)
    if page.deadline:
        document["endTime"] = day_end(page.deadline)
    document["replies"] = replies_url(actor, page)
    return document


def replies_url(actor: LocalActor, page: Any) -> str:
    return f"{actor.object_url(page.uuid)}/replies"


def contribution_item(
    contribution: Any, call_object_id: str, call_url: str, actor: LocalActor
) -> Any:
    """One entry of a call's ``replies``: a fediverse reply by its own id (its author's server
    holds it), a local contribution as a Note embedded by value (it has no AS URL of its own)."""
    if contribution.source == "fediverse" and contribution.remote_object_id:
        return contribution.remote_object_id
    in_reply_to = call_object_id
    if contribution.parent_id:
        parent = contribution.parent
        in_reply_to = parent.remote_object_id or f"{call_url}#contribution-{parent.pk}"
    text = "\n\n".join(
        escape(part) for part in (contribution.title, contribution.body) if part
    ).replace("\n", "<br>")
    return {
        "id": f"{call_url}#contribution-{contribution.pk}",
        "type": "Note",
        "attributedTo": actor.actor_id,
        "name": contribution.public_author,
        "content": f"<p>{text}</p>",
        "inReplyTo": in_reply_to,
        "published": _iso(contribution.published_at or contribution.created_at),
        "url": f"{call_url}#contribution-{contribution.pk}",
        "to": [PUBLIC],
    }


def _attachments(page: AssetPage, actor: LocalActor) -> list[dict[str, Any]]:
    attachments = []
    for document in page.attachments:
        attachments.append(
            {
                "type": "Document",
                "name": document.title,
                "url": _absolute(actor, document.url),
                "mediaType": mimetypes.guess_type(document.filename)[0]
                or "application/octet-stream",
            }
        )
    return attachments


def asset_to_ap(page: AssetPage, actor: LocalActor) -> dict[str, Any]:
    """A reusable asset: an Article plus ADMS-AP/DCAT terms (licence, version, distributions)."""
    index_url = _absolute(actor, page.get_parent().get_url() or "/")
    tags, _keywords = _tags(page, actor, index_url)
    licence = page.licence_info
    licence_label = licence.label if licence else page.licence
    facts = [
        (_label(page, "form"), page.get_form_display()),
        (_label(page, "licence"), licence_label),
        (_label(page, "version"), page.version),
    ]
    document = _base_object(page, actor, _content(page, page_url(page, actor), facts), tags)
    document["attachment"] = _attachments(page, actor)
    document.update(_structured(page, actor, page.publisher or actor.name))
    maturity, form = document.get("adms:status"), document.get("dct:type")
    document["interlink:maturity"] = maturity
    document["adms:status"] = ADMS_STATUS + MATURITY_TO_ADMS.get(str(maturity), "UnderDevelopment")
    document["interlink:assetForm"] = form
    document["dct:type"] = DCMI_TYPE + ASSET_FORM_TO_DCMI.get(str(form), "Text")
    return document


def story_to_ap(page: StoryPage, actor: LocalActor) -> dict[str, Any]:
    """A success story: an Article naming the call it came from and the assets it produced
    (``interlink:call``, ``interlink:producedAssets``: their object ids, when they are
    public pages of this site). Stories have no sectors, so no hashtags."""
    call = page.live_call
    assets = list(page.live_produced_assets)
    facts = []
    if call is not None:
        facts.append((_label(page, "call"), call.title))
    if assets:
        names = ", ".join(asset.title for asset in assets)
        facts.append((_label(page, "produced_assets"), names))
    document = _base_object(page, actor, _content(page, page_url(page, actor), facts), [])
    document["interlink:kind"] = "story"
    if call is not None:
        document["interlink:call"] = actor.object_url(call.uuid)
    if assets:
        document["interlink:producedAssets"] = [actor.object_url(a.uuid) for a in assets]
    return document


def federated_models() -> tuple[type[Any], ...]:
    """The page types that have an AS object: calls, assets and success stories."""
    from interlink_blocks.models import AssetPage, CallPage, StoryPage

    return (CallPage, AssetPage, StoryPage)


def federates(page: Any) -> bool:
    """Whether ``page`` is of a type that has an AS object (a call, an asset or a story)."""
    return isinstance(page.specific_deferred, federated_models())


def page_to_ap(page: Any, actor: LocalActor) -> dict[str, Any] | None:
    """The AS object for a federated page type, ``None`` for pages that do not federate."""
    from interlink_blocks.models import AssetPage, CallPage, StoryPage

    if isinstance(page, CallPage):
        return call_to_ap(page, actor)
    if isinstance(page, AssetPage):
        return asset_to_ap(page, actor)
    if isinstance(page, StoryPage):
        return story_to_ap(page, actor)
    return None


def tombstone(
    object_id: str, former_type: str = "Article", deleted: datetime | None = None
) -> dict[str, Any]:
    """A Tombstone naming its former ActivityStreams type by full IRI: ActivityStreams'
    context types ``formerType`` as ``@id``, so a bare ``"Article"`` expands to a relative
    IRI (strict readers such as Fedify drop it), not to ``as:Article``."""
    return {
        "id": object_id,
        "type": "Tombstone",
        "formerType": AS_NAMESPACE + former_type,
        "deleted": _iso(deleted or timezone.now()),
    }


def activity(
    actor: LocalActor,
    activity_type: str,
    activity_id: str,
    obj: Any,
    *,
    public: bool = True,
    to: list[str] | None = None,
    cc: list[str] | None = None,
) -> dict[str, Any]:
    """An activity by ``actor``; public ones go to Public with followers (and ``cc``) in cc."""
    document: dict[str, Any] = {
        "@context": object_context(actor)
        if isinstance(obj, dict) and "interlink:kind" in obj
        else AS_CONTEXT,
        "id": activity_id,
        "type": activity_type,
        "actor": actor.actor_id,
        "object": {key: value for key, value in obj.items() if key != "@context"}
        if isinstance(obj, dict)
        else obj,
        "published": _iso(timezone.now()),
    }
    if public:
        document["to"] = [PUBLIC]
        document["cc"] = [actor.followers_url, *(cc or [])]
    if to:
        document["to"] = to
    return document


def actor_to_ap(actor: LocalActor, icon_url: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [AS_CONTEXT, SECURITY_CONTEXT, ACTOR_EXTENSIONS],
        "id": actor.actor_id,
        "type": "Organization",
        "preferredUsername": actor.username,
        "name": actor.name,
        "summary": escape(actor.summary) if actor.summary else "",
        "url": actor.base_url + "/",
        "inbox": actor.inbox_url,
        "outbox": actor.outbox_url,
        "followers": actor.followers_url,
        "following": actor.following_url,
        "endpoints": {"sharedInbox": actor.shared_inbox_url},
        "manuallyApprovesFollowers": actor.manually_approves_followers,
        "discoverable": True,
        "publicKey": {
            "id": actor.key_id,
            "type": "CryptographicKey",
            "owner": actor.actor_id,
            "publicKeyPem": actor.public_key_pem,
        },
    }
    if icon_url:
        document["icon"] = {"type": "Image", "mediaType": "image/png", "url": icon_url}
    return document


def webfinger(actor: LocalActor) -> dict[str, Any]:
    return {
        "subject": f"acct:{actor.username}@{actor.host}",
        "aliases": [actor.actor_id],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor.actor_id},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": actor.base_url + "/",
            },
        ],
    }


def nodeinfo(version: str, users: int, local_posts: int, name: str) -> dict[str, Any]:
    return {
        "version": "2.1",
        "software": {
            "name": "interlink",
            "version": version,
            "repository": "https://github.com/interlink-project/interlink",
            "homepage": "https://interlink-project.eu",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": False,
        "usage": {
            "users": {"total": users, "activeMonth": users, "activeHalfyear": users},
            "localPosts": local_posts,
        },
        "metadata": {"nodeName": name},
    }


def ordered_collection(collection_id: str, total: int, first: str | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": collection_id,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if first:
        document["first"] = first
    return document


def ordered_collection_page(
    collection_id: str, page_id: str, items: list[Any], next_id: str | None, prev_id: str | None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": page_id,
        "type": "OrderedCollectionPage",
        "partOf": collection_id,
        "orderedItems": items,
    }
    if next_id:
        document["next"] = next_id
    if prev_id:
        document["prev"] = prev_id
    return document
