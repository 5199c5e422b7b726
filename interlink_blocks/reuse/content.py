"""Turning an origin's metadata into local page content: body blocks, rich text, relations.

Remote content is untrusted: rich text is sanitised by the one policy
(``interlink_blocks.sanitise``: what the editor's features produce), file references are resolved through a callback (download, or look up
a file brought in earlier) — including documents linked from rich text —, references to
the origin's own pages are dropped, and each block is validated by its own definition;
blocks that cannot be kept are reported, not silently lost.
"""

import html
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..metadata import MetadataError, walk_stream
from ..models import AssetDocument, AssetImage, GovernanceModel, LifeEvent, Sector
from ..sanitise import clean_html, plain_text

# resolve(kind, url, title, size=None) -> a local object id, or None when it cannot be
# resolved. A resolver may also offer ``is_document_link(url)``: rich text links it
# accepts are brought in as local document links (see ``refs.FileRefs``).
Resolve = Callable[..., int | None]

# Fields an upstream update may change on a call used as a template (with the body); its
# status, dates, contact and classification are the reusing administration's own.
CALL_TEMPLATE_FIELDS = (
    "title", "summary", "phase", "participant_types", "how_to_contribute",
    "coproduction_schema", "place",
)  # fmt: skip
ASSET_FIELDS = (
    "title", "summary", "form", "licence", "languages", "maturity", "version", "difficulty",
    "administrative_scope", "target_users", "publisher",
)  # fmt: skip
# What an upstream update may change, field by field (the editor picks among them).
CALL_UPDATE_GROUPS = (*CALL_TEMPLATE_FIELDS, "body")
ASSET_UPDATE_GROUPS = (*ASSET_FIELDS, "source_url", "body", "sectors", "documents", "images")

# The sanitiser writes links as <a href="…" rel="…"> (no other attribute is let through).
_LINK = re.compile(r'<a href="([^"]*)"(?: rel="[^"]*")?>(.*?)</a>', re.DOTALL)


def update_groups(page) -> tuple[str, ...]:
    from ..models import CallPage

    return CALL_UPDATE_GROUPS if isinstance(page, CallPage) else ASSET_UPDATE_GROUPS


def link_documents(text: str, resolve: Resolve) -> str:
    """Sanitised rich text with the origin's document links turned into local document links."""
    is_document = getattr(resolve, "is_document_link", None)
    if is_document is None:
        return text

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        if not is_document(url):
            return match.group(0)
        label = plain_text(match.group(2))
        document_id = resolve("document", url, label[:255] or url.rsplit("/", 1)[-1])
        if document_id is None:
            return match.group(0)  # not brought in (comparison only): the link stays
        return f'<a linktype="document" id="{document_id}">{match.group(2)}</a>'

    return _LINK.sub(replace, text)


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

    def on_rich_text(text):
        return link_documents(clean_html(text), resolve)

    try:
        items = walk_stream(stream_block, raw, on_chooser, on_rich_text)
    except RecursionError as error:
        raise MetadataError(_("The body is nested too deeply.")) from error
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


def apply_fields(
    page, fields: dict, resolve: Resolve, *, template_call: bool, only=None
) -> list[str]:
    """Sets the page's content from ``metadata_to_page_fields`` output; returns dropped blocks.

    ``only`` limits it to some of ``update_groups(page)`` (an editor's choice when the
    origin changed); ``None`` sets everything (a new copy). The page is modified in
    memory only (relations through modelcluster), so the caller decides whether it
    becomes a new page, a draft revision, or just a comparison. Raises ``MetadataError``.
    """
    from ..models import CallPage

    def wanted(name: str) -> bool:
        return only is None or name in only

    is_call = isinstance(page, CallPage)
    dropped: list[str] = []
    for name in CALL_TEMPLATE_FIELDS if is_call else ASSET_FIELDS:
        if not wanted(name):
            continue
        value = fields[name]
        if name == "how_to_contribute":
            value = clean_html(value)
        if name == "coproduction_schema":
            value, lost = decode_stream(page._meta.get_field(name).stream_block, value, resolve)
            dropped += lost
        setattr(page, name, value)
    if not is_call and wanted("source_url"):
        page.source_url = _valid(page, "source_url", fields["source_url"]) or page.source_url
    if wanted("body"):
        page.body, lost = decode_stream(
            page._meta.get_field("body").stream_block, fields["body"], resolve
        )
        dropped += lost
    if wanted("sectors"):
        page.sectors = list(
            Sector.objects.filter(slug__in=fields["sectors"])
            | Sector.objects.filter(name__in=fields.get("sector_names") or [])
        )
    if is_call:
        if wanted("life_events"):
            page.life_events = list(LifeEvent.objects.filter(slug__in=fields["life_events"]))
        if wanted("governance_model"):
            slug = fields["governance_model"]
            page.governance_model = (
                GovernanceModel.objects.filter(slug=slug).first() if slug else None
            )
        if template_call:
            _reset_call_template(page)
        return dropped
    if wanted("documents"):
        documents = []
        for item in fields["distributions"]:
            url, title = item["dcat:downloadURL"], _title(item)
            document_id = resolve("document", url, title, size=_size(item))
            if document_id is not None:
                documents.append(AssetDocument(document_id=document_id))
        page.documents = documents
    if wanted("images"):
        images = []
        for item in fields["depictions"]:
            url, title = item["dcat:downloadURL"], _title(item)
            image_id = resolve("image", url, title, size=_size(item))
            if image_id is not None:
                alt_text = _text(item, "schema:description", 250) or title[:250]
                caption = _text(item, "schema:caption", 250)
                images.append(AssetImage(image_id=image_id, alt_text=alt_text, caption=caption))
        page.images = images
    return dropped


def _valid(page, name: str, value: str) -> str:
    """``value`` if the model field accepts it (``source_url`` must be https), else ``""``."""
    try:
        page._meta.get_field(name).run_validators(value)
    except ValidationError:
        return ""
    return value


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


def _size(item: dict) -> int | None:
    size = item.get("dcat:byteSize")
    return size if isinstance(size, int) else None
