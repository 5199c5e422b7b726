"""The co-production timeline of a call, rendered once per published revision and language.

The timeline is the most expensive part of a call page (every phase, objective and
task with its dates), yet it changes only when the call is published again. Its HTML
is cached under a key naming the call, its revision and the language; previews and
revision views (``request.is_preview``) are always rendered fresh.

``{{ title|plan_text:call }}`` shows an objective or task title: INTERLINK's default
titles in the visitor's language, an editor's own title as written, marked with ``lang``
when the call is in another language than the page (a timeline block on another page).
"""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks

from ..blocks.schema import DEFAULT_TEXTS
from ..blocks.schema import plan_text as translated_plan_text
from .interlink_lang import lang_attr

register = template.Library()

TEMPLATE = "interlink_blocks/includes/timeline.html"
TIMEOUT = 24 * 60 * 60


def timeline_cache_key(call) -> str | None:
    if call.pk is None or not call.live:
        return None
    published = call.last_published_at.isoformat() if call.last_published_at else ""
    return f"interlink:timeline:{call.pk}:{call.live_revision_id}:{published}:{get_language()}"


@register.simple_tag(takes_context=True)
def call_timeline(context, call):
    """Render ``call``'s timeline, from the cache when it is the published version."""
    request = context.get("request")
    in_preview = bool(getattr(request, "is_preview", False))
    key = None if in_preview else timeline_cache_key(call)
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string(TEMPLATE, {"call": call})
        if key:
            cache.set(key, html, TIMEOUT)
    return html


@register.simple_tag(takes_context=True)
def call_plan_section(context, call):
    """The call page's plan: what an optional app renders through the
    ``interlink_call_page_plan`` hook (the workspace's live progress, when the call has a
    process: each function gets ``(request, page)`` and returns HTML or ``None``), else the
    editor's schema as a timeline."""
    request = context.get("request")
    for hook in hooks.get_hooks("interlink_call_page_plan"):
        html = hook(request, call)
        if html is not None:
            return html
    if not call.coproduction_schema:
        return ""
    return format_html(
        '<section aria-labelledby="coproduction-plan"><h2 id="coproduction-plan">{}</h2>{}</section>',
        _("Co-production plan"),
        mark_safe(call_timeline(context, call)),  # noqa: S308 - rendered by our template
    )


@register.filter
def plan_text(text, call=None):
    """A plan title for display: translated if it is a default one, else as the editor wrote it."""
    text = text or ""
    if text in DEFAULT_TEXTS:
        return translated_plan_text(text)
    lang = lang_attr(call) if call is not None else ""
    return format_html("<span{}>{}</span>", lang, text) if lang else conditional_escape(text)
