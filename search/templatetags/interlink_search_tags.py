"""Template tags of discovery: related items on call and asset pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import service
from ..documents import language_tag
from ..local_sources import page_key

register = template.Library()

HEADINGS = {"call": _("Similar calls"), "asset": _("Related assets")}


@register.simple_tag
def related_section(page: Any, size: int = 4) -> dict[str, Any]:
    """Items like ``page`` and of its kind, local and federated: similar calls for a
    call, related assets for an asset. Falls back to the database backend when the
    engine is unreachable; a page that is not indexed (a draft preview) has none."""
    model = getattr(page, "_meta", None)
    kind = {"callpage": "call", "assetpage": "asset"}.get(model.model_name if model else "")
    if kind is None or getattr(page, "uuid", None) is None:
        return {"items": [], "heading": ""}
    return {
        "items": service.related(page_key(page), kind=kind, size=size),
        "heading": HEADINGS[kind],
    }


@register.simple_tag
def lang_attribute(document: dict[str, Any]) -> SafeString:
    """`` lang="xx"`` for a result whose text is in another language than the page
    (local pages in another locale as well as federated items), else nothing."""
    languages = document.get("language") or [""]
    code = language_tag(str(document.get("text_language") or languages[0] or ""))
    if not code or code == language_tag(get_language() or ""):
        return SafeString("")
    return format_html(' lang="{}"', code)


@register.filter
def as_date(value: Any) -> Any:
    """An ISO date string from a search document as a date, so ``|date`` formats it per locale."""
    if isinstance(value, str):
        return parse_date(value[:10]) or value
    return value


@register.simple_tag(takes_context=True)
def reuse_url_for(context: template.Context, document: dict[str, Any]) -> str:
    """Where staff reuse a federated result in their own site ('' for anyone else).

    Discovery is one of the places INTERLINK's reuse workflow starts from; the link is
    offered only when the reuse app is installed and the visitor may use the admin.
    """
    request = context.get("request")
    key = str(document.get("key", ""))
    if (
        document.get("origin") != "federated"
        or not key.startswith("remote:")
        or request is None
        or not request.user.has_perm("wagtailadmin.access_admin")
        or not apps.is_installed("interlink_blocks.reuse")
    ):
        return ""
    from interlink_blocks.reuse.views.reusing import reuse_url

    return reuse_url(key.removeprefix("remote:"))
