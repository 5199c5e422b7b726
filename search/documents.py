"""Documents: the one JSON shape every backend indexes, built from local pages.

A document is engine-neutral; ``search.backends.elasticsearch_mapping`` maps it to an
Elasticsearch index and ``search.backends.database`` to tables. Federated items get
the same shape from the source registered by ``federation/search_source.py``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.html import strip_tags

from .analysis import ANALYSED_LANGUAGES
from .types import Document

# Sort keys are strings so both backends (and ``search_after`` cursors) compare them
# the same way; missing dates sort last in both directions.
NO_DEADLINE = "9999-12-31"
NEVER_PUBLISHED = "0000-00-00T00:00:00.000000"

LIST_FIELDS: tuple[str, ...] = (
    "sector",
    "life_event",
    "participants",
    "language",
    "tags",
)


def plain_text(value: str) -> str:
    """Text of an HTML fragment (remote content), without markup or runs of whitespace."""
    return squash(strip_tags(value or ""))


def squash(value: str) -> str:
    """Plain text with runs of whitespace collapsed (titles may contain '<' legitimately)."""
    return re.sub(r"\s+", " ", value or "").strip()


def analysis_language(languages: list[str]) -> str:
    """The language whose analyzer reads the text: the first one we analyse, else ''."""
    for language in languages:
        code = (language or "").split("-")[0].lower()
        if code in ANALYSED_LANGUAGES:
            return code
    return ""


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def make_document(
    *,
    key: str,
    kind: str,
    origin: str,
    title: str,
    url: str,
    summary: str = "",
    text: str = "",
    municipality: str = "",
    languages: list[str] | None = None,
    published_at: datetime.datetime | None = None,
    deadline: datetime.date | None = None,
    opens_at: datetime.date | None = None,
    **facets: Any,
) -> Document:
    """Build a document; facet keyword arguments are single values or lists."""
    languages = [code.split("-")[0].lower() for code in (languages or []) if code]
    document: Document = {
        "key": key,
        "kind": kind,
        "origin": origin,
        "title": squash(title),
        "summary": squash(summary),
        "text": squash(text),
        "url": url,
        "municipality": municipality,
        "language": languages,
        "analysis_language": analysis_language(languages),
        "published_at": _iso(published_at),
        "deadline": _iso(deadline),
        "opens_at": _iso(opens_at),
        "published_year": str(published_at.year) if published_at else "",
        "deadline_year": str(deadline.year) if deadline else "",
        "sort_deadline": _iso(deadline) or NO_DEADLINE,
        "sort_published": (
            published_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
            if published_at
            else NEVER_PUBLISHED
        ),
    }
    for name in ("sector", "life_event", "participants", "tags"):
        document[name] = [str(v) for v in facets.pop(name, None) or [] if v]
    for name in ("status", "phase", "governance_model", "asset_form", "licence"):
        value = facets.pop(name, None)
        document[name] = str(value) if value else ""
    if facets:
        raise TypeError(f"Unknown document fields: {', '.join(sorted(facets))}")
    return document


def facet_values(document: Document, facet: str) -> list[str]:
    """A document's values for one facet, always as a list (empty values dropped)."""
    value = document.get(facet)
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)] if value not in (None, "") else []


def _stream_text(page: Any, field_name: str) -> str:
    field = page._meta.get_field(field_name)
    return " ".join(str(chunk) for chunk in field.get_searchable_content(getattr(page, field_name)))


def _site_name(page: Any) -> str:
    site = page.get_site()
    return site.site_name if site and site.site_name else ""


def page_document(page: Any) -> Document:
    """The document of a live local call or asset page."""
    page = page.specific
    kind = "call" if page._meta.model_name == "callpage" else "asset"
    common = {
        "key": f"page:{page.uuid}",
        "kind": kind,
        "origin": "local",
        "title": page.title,
        "summary": page.summary,
        "text": _stream_text(page, "body"),
        "url": page.get_url() or page.full_url or "",
        "municipality": _site_name(page),
        "published_at": page.first_published_at,
        "sector": list(page.sectors.values_list("slug", flat=True)),
    }
    if kind == "call":
        return make_document(
            **common,
            languages=[page.locale.language_code],
            deadline=page.deadline,
            opens_at=page.opens_at,
            status=page.status,
            phase=page.phase,
            participants=page.participant_types,
            life_event=list(page.life_events.values_list("slug", flat=True)),
            governance_model=page.governance_model.slug if page.governance_model else "",
        )
    return make_document(
        **common,
        languages=list(page.languages) or [page.locale.language_code],
        participants=page.target_users,
        asset_form=page.form,
        licence=page.licence,
    )
