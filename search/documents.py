"""Documents: the one JSON shape every backend indexes, built from local pages.

A document is engine-neutral; ``interlink_search.backends.elasticsearch_mapping`` maps it to an
Elasticsearch index and ``interlink_search.backends.database`` to tables. Federated items get
the same shape from the source registered by ``federation/search_source.py``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

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
    "hidden_in",
)

# Fields queries filter on that are no facet people see: ``group`` (the translation
# key shared by a page's copies in other locales, "" for an item without copies) and
# ``hidden_in`` (the site languages in which another copy of the same page is shown
# instead of this one; see ``translation_fields``).
FILTER_ONLY_FIELDS: tuple[str, ...] = ("group", "hidden_in")

_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}$")


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


def language_tag(value: str) -> str:
    """The primary language subtag of ``value`` ("es-ES" -> "es"), or "" if it is none."""
    code = (value or "").split("-")[0].strip().lower()
    return code if _LANGUAGE_TAG.match(code) else ""


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
    text_language: str = "",
    group: str = "",
    hidden_in: list[str] | None = None,
    **facets: Any,
) -> Document:
    """Build a document; facet keyword arguments are single values or lists.

    ``languages`` is the language facet; ``text_language`` the language the title and
    summary are written in (what the result's ``lang`` attribute says; default: the
    first of ``languages``); ``group`` and ``hidden_in`` collapse translations.
    """
    languages = list(dict.fromkeys(filter(None, (language_tag(c) for c in languages or []))))
    text_language = language_tag(text_language) or (languages[0] if languages else "")
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
        "text_language": text_language,
        "analysis_language": analysis_language([text_language]),
        "group": group,
        "hidden_in": sorted(set(hidden_in or [])),
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
        values = facets.pop(name, None) or []
        if isinstance(values, str):  # one value, not its characters
            values = [values]
        document[name] = [str(v) for v in values if v]
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


def site_languages() -> list[str]:
    """The languages people may browse the site in (query languages)."""
    from django.conf import settings

    codes = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    return list(dict.fromkeys(language_tag(code) for code, _name in codes))


def translation_fields(page: Any) -> dict[str, Any]:
    """``group`` and ``hidden_in`` of a page: one result per page and its translations.

    Among a page's live, public copies (same ``translation_key``), a search in language
    L shows the copy in L, else the oldest copy (the original). So each copy is hidden
    in every site language for which another copy is shown; a page without copies is
    never hidden. Publishing, unpublishing or deleting one copy re-indexes the others
    (``interlink_search.signals``).
    """
    from wagtail.models import Page

    copies = dict(
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .public()
        .values_list("pk", "locale__language_code")
    )
    copies[page.pk] = page.locale.language_code
    if len(copies) < 2:
        return {"group": "", "hidden_in": []}
    own = language_tag(copies[page.pk])
    covered = {language_tag(code) for code in copies.values()}
    if page.pk == min(copies):
        hidden = covered - {own}  # the original: hidden where a translation exists
    else:
        hidden = set(site_languages()) | covered
        hidden.discard(own)
    return {"group": str(page.translation_key), "hidden_in": sorted(hidden)}


def content_language(locale: str, languages: list[str]) -> str:
    """The language a local page's text is written in: its locale's language, unless
    the page says its content is only in other languages (an asset whose ``languages``
    does not include the locale's), then the first of those."""
    own = language_tag(locale)
    tags = [language_tag(code) for code in languages if language_tag(code)]
    if not tags or own in tags:
        return own
    return tags[0]


def page_document(page: Any) -> Document:
    """The document of a live local call or asset page."""
    page = page.specific
    kind = "call" if page._meta.model_name == "callpage" else "asset"
    locale = page.locale.language_code
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
        **translation_fields(page),
    }
    if kind == "call":
        return make_document(
            **common,
            languages=[locale],
            text_language=locale,
            deadline=page.deadline,
            opens_at=page.opens_at,
            status=page.status,
            phase=page.phase,
            participants=page.participant_types,
            life_event=list(page.life_events.values_list("slug", flat=True)),
            governance_model=page.governance_model.slug if page.governance_model else "",
        )
    languages = list(page.languages or [])
    return make_document(
        **common,
        languages=languages or [locale],
        text_language=content_language(locale, languages),
        participants=page.target_users,
        asset_form=page.form,
        licence=page.licence,
    )
