"""Highlighting for the database backend, and making any engine's fragments safe.

Both backends return fragments as HTML in which only ``<mark>`` is markup: the
database backend escapes text itself; Elasticsearch fragments come back with private
marker characters that ``safe_fragment`` turns into ``<mark>`` after escaping.
"""

from __future__ import annotations

import re

from django.utils.html import escape

from .analysis import fold_word, stem

PRE, POST = "\ue000", "\ue001"  # private-use characters no text contains
_WORD = re.compile(r"\w+", re.UNICODE)


def safe_fragment(fragment: str) -> str:
    """Escape an engine's fragment, keeping only our markers as ``<mark>`` tags."""
    return escape(fragment).replace(PRE, "<mark>").replace(POST, "</mark>")


def _matches(word: str, terms: set[str], language: str) -> bool:
    # Both helpers are cached per word: a page of hits repeats most of its words.
    lowered = word.lower()
    return fold_word(lowered) in terms or stem(lowered, language) in terms


def highlight(
    text: str,
    terms: set[str],
    language: str,
    fragment: int | None = None,
    seen: dict[tuple[str, str], bool] | None = None,
) -> str:
    """``text`` as safe HTML with query matches in ``<mark>``; '' when nothing matches.

    With ``fragment`` set, only about that many characters around the first match.
    ``seen`` remembers which words matched, across the texts of one search's hits.
    """
    if not text or not terms:
        return ""
    seen = {} if seen is None else seen
    spans = []
    for match in _WORD.finditer(text):
        key = (match.group(), language)
        found = seen.get(key)
        if found is None:
            found = seen[key] = _matches(match.group(), terms, language)
        if found:
            spans.append(match.span())
    if not spans:
        return ""
    start, end = 0, len(text)
    if fragment and len(text) > fragment:
        start = max(0, spans[0][0] - fragment // 3)
        end = min(len(text), start + fragment)
    parts: list[str] = ["…" if start else ""]
    cursor = start
    for left, right in spans:
        if left < start or right > end:
            continue
        parts.append(escape(text[cursor:left]))
        parts.append(f"<mark>{escape(text[left:right])}</mark>")
        cursor = right
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)
