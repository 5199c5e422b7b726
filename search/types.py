"""The shapes every search backend speaks: one query in, one results object out.

Both backends (Elasticsearch and database) take a ``SearchQuery`` and return
``SearchResults``, so views, the API and tests never know which one answered.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from interlink_blocks import safejson

Sort = Literal["relevance", "deadline", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "deadline", "newest")

# A document is a plain JSON-able dict (see ``interlink_search.documents``).
Document = dict[str, Any]


class InvalidCursor(ValueError):
    """A pagination cursor that was not produced by us (or by this sort order)."""


# "Deadline, soonest first" orders by (bucket, deadline, key): upcoming deadlines first
# (today counts as upcoming), then past ones, then items without a deadline.
DEADLINE_UPCOMING, DEADLINE_PAST, DEADLINE_NONE = 0, 1, 2


@dataclass
class SearchQuery:
    """What someone asked for: words, facet filters, a sort order and a page position.

    ``language`` is the language the results are shown in: of a page and its
    translations only the copy for that language (else the original) is found; empty
    finds every copy. ``suggest`` asks for title completions of ``text`` in the same
    request (``SearchResults.suggestions``)."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: Sort = "relevance"
    size: int = 20
    after: list[Any] | None = None
    language: str = ""
    suggest: bool = False

    def without(self, facet: str) -> SearchQuery:
        """The same query with one facet's filter dropped (to suggest relaxing it)."""
        filters = {name: values for name, values in self.filters.items() if name != facet}
        return SearchQuery(self.text, filters, self.sort, self.size, None, self.language)


@dataclass
class FacetBucket:
    value: str
    count: int
    label: str = ""
    selected: bool = False


@dataclass
class SearchHit:
    """One result: its stored document and highlighted fragments (safe HTML with <mark>)."""

    key: str
    document: Document
    highlights: dict[str, str] = field(default_factory=dict)
    score: float = 0.0

    @property
    def title_html(self) -> str | None:
        return self.highlights.get("title")

    @property
    def summary_html(self) -> str | None:
        return self.highlights.get("summary") or self.highlights.get("text")


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetBucket]]
    next_after: list[Any] | None = None
    backend: str = ""
    degraded: bool = False
    suggestions: list[str] = field(default_factory=list)

    @property
    def next_cursor(self) -> str | None:
        return encode_cursor(self.next_after) if self.next_after is not None else None


def encode_cursor(values: list[Any]) -> str:
    """An opaque, URL-safe token for ``search_after`` values."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, sort: Sort) -> list[Any]:
    """Back from a token to sort values; refuses anything that does not fit ``sort``."""
    try:
        padded = token + "=" * (-len(token) % 4)
        values = safejson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("Malformed cursor") from exc
    if sort == "deadline":
        if (
            not isinstance(values, list)
            or len(values) != 3
            or values[0] not in (DEADLINE_UPCOMING, DEADLINE_PAST, DEADLINE_NONE)
            or isinstance(values[0], bool)
            or not all(isinstance(value, str) for value in values[1:])
        ):
            raise InvalidCursor("Cursor does not match the sort order")
        return values
    if not isinstance(values, list) or len(values) != 2 or not isinstance(values[1], str):
        raise InvalidCursor("Malformed cursor")
    first = values[0]
    if sort == "relevance" and not isinstance(first, int | float):
        raise InvalidCursor("Cursor does not match the sort order")
    if sort != "relevance" and first is not None and not isinstance(first, str):
        raise InvalidCursor("Cursor does not match the sort order")
    return values
