"""JSON from outside, with its nesting depth checked before it is parsed.

Python's parser recurses once per nested array or object: a body of a few thousand
``[`` (a few kilobytes) ends in ``RecursionError``, a 500 before any other check could
refuse it. Everything Interlink reads from outside — inbox activities, fetched documents,
API request bodies (``interlink_blocks.parsers``), search cursors — goes through
``loads``, which refuses anything nested deeper than ``INTERLINK_JSON_MAX_DEPTH`` (64: an
ActivityPub activity nests a handful of levels) with ``TooDeep``, a ``ValueError``.

The check is a flat scan: strings are cut out with a regular expression, then the
remaining brackets are counted, stopping at the first one past the limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings

DEFAULT_MAX_DEPTH = 64

# A JSON string: quotes around anything but quotes and backslashes, or escapes ("unrolled"
# so that the regular expression runs in linear time).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")


class TooDeep(ValueError):
    """The document nests arrays and objects deeper than the limit."""


def max_depth() -> int:
    return int(getattr(settings, "INTERLINK_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def check_depth(data: bytes | str, limit: int | None = None) -> None:
    """Raises ``TooDeep`` when ``data`` nests deeper than ``limit`` (the setting by default)."""
    limit = max_depth() if limit is None else limit
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return  # cannot be deeper than its number of brackets: most documents stop here
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", raw)):
        if match.group()[0] in _OPENING:
            depth += 1
            if depth > limit:
                raise TooDeep(f"JSON nested deeper than {limit} levels")
        else:
            depth -= 1


def loads(data: bytes | str, limit: int | None = None) -> Any:
    """``json.loads`` after ``check_depth``; malformed JSON raises ``ValueError`` as usual."""
    check_depth(data, limit)
    return json.loads(data)
