"""Facet counting from per-process bitmaps of the index (Elasticsearch's doc values).

Counting facets in SQL joined every matched entry to its (entry, code) rows: a
random index probe per match and per filtered facet, most of a search's time at
100,000 entries. Here each process keeps, per facet value shown to people, the set of
entries that have it, as a bitmap over entry ids (a Python int: AND and ``bit_count``
run in C over 64-bit words). A search then fetches only the ids that match its words
and counts every facet, under every combination of filters, with a few hundred ANDs.
The bitmaps are built from each entry's ``facet_terms`` (its codes as tokens), so the
index keeps no other copy of the codes.

Staying current across processes: every index write takes the next *revision*
(``IndexRevision``) under a table lock, so revisions follow commit order, and stamps
the entries it writes with it. A search reads the newest revision; if it differs from
the bitmaps', the entries stamped since are re-read (their old bits cleared first).
Each revision row has a random stamp: when the revision the bitmaps were built at no
longer has the stamp they saw (a transaction that wrote and searched was rolled back,
as every test is), or it was pruned, everything is read again.

Deleted entries are not cleared: every count is ANDed with ids read from the database
at search time, where they no longer are (ids are never reused: AUTOINCREMENT on
SQLite, an identity on PostgreSQL).

Memory: one bitmap per facet value of ``FACET_NAMES`` (not the per-page ``group``
values), each the highest entry id in bits, held twice (the ints searches read, and
the bytearrays a reload edits): at 100,000 entries and some 150 values, about 4 MB.
"""

# SQL here is built from table names and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from ..facets import FACET_NAMES
from ..models import FacetValue, IndexEntry, IndexRevision, token_codes

ENTRY = IndexEntry._meta.db_table
VALUES = FacetValue._meta.db_table
REVISION = IndexRevision._meta.db_table
# Filter-only fields whose few values every search looks up (not counted: no bitmaps).
LOOKED_UP = ("hidden_in",)
KEEP_REVISIONS = 10_000  # older revision rows are pruned; bitmaps older reload fully
_BIT = tuple(1 << n for n in range(8))


def next_revision() -> int:
    """The revision an index write stamps its entries with; call inside the write's
    transaction. The lock serialises writers until they commit, so a revision is
    visible only after every lower one."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # EXCLUSIVE still lets searches read the table; SQLite writers are
            # serialised by the database lock already.
            cursor.execute(f"LOCK TABLE {REVISION} IN EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(revision), 0) + 1 FROM {REVISION}")
        (revision,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {REVISION} (revision, stamp) VALUES (%s, %s)",
            [revision, secrets.token_hex(8)],
        )
        cursor.execute(f"DELETE FROM {REVISION} WHERE revision <= %s", [revision - KEEP_REVISIONS])
    return int(revision)


def bitmap(rows: Sequence[tuple[int]], size: int = 0) -> int:
    """A bitmap of the ids in ``rows`` (one-column rows, as ``fetchall`` gives them);
    ``size``, in bytes, saves growing it."""
    bits = bytearray(size)
    flags = _BIT
    try:
        for (entry_id,) in rows:
            bits[entry_id >> 3] |= flags[entry_id & 7]
    except IndexError:  # an id beyond ``size``: grow once, then go on from scratch
        return bitmap(rows, max(entry_id >> 3, size) * 2 + 1)
    return int.from_bytes(bits, "little")


def ids(bits: int) -> list[int]:
    """The ids in a bitmap, ascending (``bitmap``'s inverse)."""
    found = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            found += [(index << 3) | n for n in range(8) if byte >> n & 1]
    return found


@dataclass
class FacetBitmaps:
    """The entries of each facet value, as of ``revision``."""

    revision: int = 0
    stamp: str = ""
    fields: dict[str, list[int]] = field(default_factory=dict)  # facet -> its codes
    labels: dict[int, str] = field(default_factory=dict)  # code -> value
    codes: dict[tuple[str, str], int] = field(default_factory=dict)  # (field, value) -> code
    bits: dict[int, int] = field(default_factory=dict)  # code -> entries
    size: int = 0  # bytes of the largest bitmap
    # The mutable copy the bits are made from; only the loader touches it.
    _bytes: dict[int, bytearray] = field(default_factory=dict, repr=False)

    def union(self, codes: Iterable[int]) -> int:
        result = 0
        for code in codes:
            result |= self.bits.get(code, 0)
        return result


_lock = threading.Lock()
_current: dict[tuple[str, str], FacetBitmaps] = {}


# The newest revision and its stamp, as one row ("0", "" when none): callers that
# already make a round trip may read it in the same statement.
HEAD_SQL = (
    f"SELECT COALESCE(MAX(revision), 0), COALESCE((SELECT stamp FROM {REVISION} "
    f"ORDER BY revision DESC LIMIT 1), '') FROM {REVISION}"
)


def current(head: tuple[int, str] | None = None) -> FacetBitmaps:
    """This database's bitmaps, brought up to its newest revision first if needed;
    ``head`` is that revision and stamp when the caller has read them (``HEAD_SQL``)."""
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    if head is None:
        with connection.cursor() as cursor:
            cursor.execute(HEAD_SQL)
            revision, stamp = cursor.fetchone()
        head = (int(revision), stamp)
    known = _current.get(key)
    if known is not None and (known.revision, known.stamp) == head:
        return known
    with _lock:
        known = _current.pop(key, None)  # reloading may change it: gone if that fails
        if known is None or (known.revision, known.stamp) != head:
            known = _load(known, head)
        _current[key] = known
        return known


def _load(known: FacetBitmaps | None, head: tuple[int, str]) -> FacetBitmaps:
    """New bitmaps at ``head``: ``known``'s with the entries written since re-read, or
    all read again when ``known`` is not an ancestor of ``head``."""
    with connection.cursor() as cursor:
        incremental = False
        if known is not None and known.revision and head[0] > known.revision:
            cursor.execute(f"SELECT stamp FROM {REVISION} WHERE revision = %s", [known.revision])
            row = cursor.fetchone()
            incremental = row is not None and row[0] == known.stamp
        fresh = FacetBitmaps(*head)
        names = [*FACET_NAMES, *LOOKED_UP]
        cursor.execute(
            f"SELECT code, field, value FROM {VALUES} "
            f"WHERE field IN ({', '.join(['%s'] * len(names))}) ORDER BY code",
            names,
        )
        for code, name, value in cursor.fetchall():
            fresh.codes[name, value] = code
            if name in LOOKED_UP:
                continue
            fresh.fields.setdefault(name, []).append(code)
            fresh.labels[code] = value
        touched: set[int] = set()
        if incremental and known is not None:
            fresh._bytes = known._bytes
            cursor.execute(
                f"SELECT id, facet_terms FROM {ENTRY} WHERE revision > %s", [known.revision]
            )
            rows = cursor.fetchall()
            touched = _clear(fresh._bytes, [entry_id for entry_id, _terms in rows])
        else:
            cursor.execute(f"SELECT id, facet_terms FROM {ENTRY}")
            rows = cursor.fetchall()
        touched |= _set(fresh._bytes, rows, fresh.labels)
    fresh.bits = dict(known.bits) if incremental and known is not None else {}
    for code in touched:
        fresh.bits[code] = int.from_bytes(fresh._bytes[code], "little")
    fresh.size = max((len(bits) for bits in fresh._bytes.values()), default=0)
    return fresh


def _clear(store: dict[int, bytearray], ids: list[int]) -> set[int]:
    """Clear the bits of ``ids`` everywhere; returns the codes whose bitmaps changed."""
    touched = set()
    for entry_id in ids:
        byte, bit = entry_id >> 3, _BIT[entry_id & 7]
        for code, bits in store.items():
            if byte < len(bits) and bits[byte] & bit:
                bits[byte] &= ~bit & 0xFF
                touched.add(code)
    return touched


def _set(
    store: dict[int, bytearray], rows: list[tuple[int, str]], counted: dict[int, str]
) -> set[int]:
    """Set each (entry, facet terms) row's bits, for the ``counted`` codes; returns the
    codes whose bitmaps changed."""
    touched = set()
    for entry_id, facet_terms in rows:
        byte, flag = entry_id >> 3, _BIT[entry_id & 7]
        for code in token_codes(facet_terms):
            if code not in counted:
                continue  # a filter-only value (a page's group): never counted
            bits = store.setdefault(code, bytearray())
            if byte >= len(bits):
                bits.extend(bytes(byte - len(bits) + 4096))
            bits[byte] |= flag
            touched.add(code)
    return touched
