"""Turning an origin's metadata into local page content: body blocks, rich text, relations.

Remote content is untrusted: rich text is sanitised with nh3 to what the editor's
features allow, file references are resolved through a callback (download, or look up
a file brought in earlier), references to the origin's own pages are dropped, and each
block is validated by its own definition; blocks that cannot be kept are reported, not
silently lost.
"""

from collections.abc import Callable

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..metadata import MetadataError, walk_stream
from ..models import AssetDocument, AssetImage, GovernanceModel, LifeEvent, Sector

# Tags and attributes the Interlink rich text features produce (ParagraphBlock, FAQ
# answers, "how to contribute"); everything else is stripped.
RICH_TEXT_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ol", "ul", "li", "blockquote"}
RICH_TEXT_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

# resolve(kind, url, title) -> a local object id, or None when it cannot be resolved.
Resolve = Callable[[str, str, str], int | None]

# Fields an upstream update may change on a call used as a template; its status, dates
# and contact are the reusing administration's own.
CALL_TEMPLATE_FIELDS = (
    "title", "summary", "phase", "participant_types", "how_to_contribute",
    "coproduction_schema", "place",
)  # fmt: skip
ASSET_FIELDS = (
    "title", "summary", "form", "licence", "languages", "maturity", "version", "difficulty",
    "administrative_scope", "target_users", "publisher",
)  # fmt: skip


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def decode_stream(stream_block, raw: list, resolve: Resolve) -> tuple[list, list[str]]:
    """The portable stream as local raw stream data, and the labels of dropped blocks."""

    def on_chooser(block, value):
        if not isinstance(value, dict) or not isinstance(value.get("url"), str):
            return None  # bare ids from elsewhere mean nothing here
        kind = value.get("interlink:ref")
        if kind not in ("image", "document"):
            return None
        title = value.get("title") if isinstance(value.get("title"), str) else ""
        return resolve(kind, value["url"], title)

    try:
        items = walk_stream(stream_block, raw, on_chooser, sanitise_html)
    except MetadataError as error:
        raise MetadataError(_("The body is malformed: %(error)s") % {"error": error}) from error
    kept, dropped = [], []
    for item in items:
        child = stream_block.child_blocks[item["type"]]
        try:
            child.clean(child.to_python(item["value"]))
        except (ValidationError, TypeError, ValueError, KeyError, AttributeError):
            dropped.append(str(child.label or item["type"]))
            continue
        kept.append(item)
    return kept, dropped


def apply_fields(page, fields: dict, resolve: Resolve, *, template_call: bool) -> list[str]:
    """Sets the page's content from ``metadata_to_page_fields`` output; returns dropped blocks.

    The page is modified in memory only (relations through modelcluster), so the caller
    decides whether it becomes a new page, a draft revision, or just a comparison.
    """
    from ..models import CallPage

    is_call = isinstance(page, CallPage)
    names = CALL_TEMPLATE_FIELDS if is_call else ASSET_FIELDS
    for name in names:
        value = fields[name]
        if name == "how_to_contribute":
            value = sanitise_html(value)
        if name == "coproduction_schema":
            value, _dropped = decode_stream(page._meta.get_field(name).stream_block, value, resolve)
        setattr(page, name, value)
    if not is_call:
        page.source_url = fields["source_url"] or page.source_url
    body, dropped = decode_stream(
        page._meta.get_field("body").stream_block, fields["body"], resolve
    )
    page.body = body
    page.sectors = list(
        Sector.objects.filter(slug__in=fields["sectors"])
        | Sector.objects.filter(name__in=fields.get("sector_names") or [])
    )
    if is_call:
        page.life_events = list(LifeEvent.objects.filter(slug__in=fields["life_events"]))
        page.governance_model = (
            GovernanceModel.objects.filter(slug=fields["governance_model"]).first()
            if fields["governance_model"]
            else None
        )
        if template_call:
            _reset_call_template(page)
    else:
        documents = []
        for item in fields["distributions"]:
            document_id = resolve("document", item["dcat:downloadURL"], _title(item))
            if document_id is not None:
                documents.append(AssetDocument(document_id=document_id))
        images = []
        for item in fields["depictions"]:
            image_id = resolve("image", item["dcat:downloadURL"], _title(item))
            if image_id is not None:
                images.append(
                    AssetImage(
                        image_id=image_id,
                        alt_text=_text(item, "schema:description", 250) or _title(item)[:250],
                        caption=_text(item, "schema:caption", 250),
                    )
                )
        page.documents = documents
        page.images = images
    return dropped


def _reset_call_template(page) -> None:
    """A reused call is a template: it starts as an idea, without the origin's dates or contact."""
    from ..choices import CallStatus

    page.status = CallStatus.DRAFT_IDEA
    page.opens_at = None
    page.deadline = None
    page.contact_name = page.contact_email = page.contact_phone = ""


def _title(item: dict) -> str:
    return _text(item, "dct:title", 255) or _("Attachment")


def _text(item: dict, key: str, max_length: int) -> str:
    value = item.get(key)
    return value[:max_length] if isinstance(value, str) else ""
