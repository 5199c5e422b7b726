"""Facet counting from per-process bitmaps of the index (Elasticsearch's doc values).

Counting facets in SQL joined every matched entry to its (entry, code) rows: a
random index probe per match and per filtered facet, most of a search's time at
100,000 entries. Here each process keeps, per facet value shown to people, the set of
entries that have it, as a compressed bitmap over entry ids (``pyroaring``'s Roaring
bitmaps, as Lucene keeps its filter sets). A search fetches only the ids that match
its words, as one binary value (``ids_sql``), and counts every facet, under every
combination of filters, with intersections that run in C. The bitmaps are built from
each entry's ``facet_terms`` (its codes as tokens), so the index keeps no other copy
of the codes.

Staying current across processes: every index write takes the next *revision*
(``IndexRevision``) under a table lock, so revisions follow commit order, and stamps
the entries it writes with it. A search reads the newest revision; if it differs from
the bitmaps', the entries stamped since are re-read (their old bits cleared first).
Each revision row has a random stamp: when the revision the bitmaps were built at no
longer has the stamp they saw (a transaction that wrote and searched was rolled back,
as every test is), or it was pruned, everything is read again.

Starting a process: reading every entry costs seconds at a million entries (8 s on
PostgreSQL), so bitmaps are saved in the database (``FacetSnapshot``, the newest
only) by any process that had to read ``SAVE_AFTER`` entries or more to bring its own
up to date, and by ``reindex``. A new process loads the newest snapshot whose revision
and stamp the index still has, then re-reads the entries written since: a snapshot is
never trusted beyond its revision, so it is never stale.

Deleted entries are not cleared: every count is intersected with ids read from the
database at search time, where they no longer are (ids are never reused:
AUTOINCREMENT on SQLite, an identity on PostgreSQL).

Memory: one bitmap per facet value of ``FACET_NAMES`` (not the per-page ``group``
values). A Roaring bitmap stores each block of 65,536 ids as a sorted array of 16-bit
values (2 bytes per id, up to 4,096 ids) or as a plain 8 kB bitmap, whichever is
smaller: at most 2 bytes per (entry, value) pair, whatever the number of values (some
15 per entry: under 30 MB at a million entries; ``memory()`` tells). Ids must stay
below 2**32.
"""

# SQL here is built from table names and placeholders only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import array
import logging
import secrets
import struct
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from pyroaring import BitMap, FrozenBitMap

from ..facets import FACET_NAMES
from ..models import FacetSnapshot, FacetValue, IndexEntry, IndexRevision, token_codes
from . import timing

logger = logging.getLogger(__name__)
ENTRY = IndexEntry._meta.db_table
VALUES = FacetValue._meta.db_table
REVISION = IndexRevision._meta.db_table
SNAPSHOT = FacetSnapshot._meta.db_table
# Filter-only fields whose few values every search looks up (not counted: no bitmaps).
LOOKED_UP = ("hidden_in",)
KEEP_REVISIONS = 10_000  # older revision rows are pruned; bitmaps older reload fully
# A process that re-read this many entries to bring its bitmaps up to date saves them
# for the processes that start after it (reading 20,000 entries takes about 0.1 s).
SAVE_AFTER = 20_000
SNAPSHOT_FORMAT = b"IFB1"  # then (code: int64, length: uint32, Roaring bytes) per value
_HEADER = struct.Struct("<qI")
EMPTY = FrozenBitMap()


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


def ids_sql(sql: str) -> str:
    """A statement giving the ``entry_id`` column of ``sql``'s rows as one value: each
    id as 4 big-endian bytes (PostgreSQL: a bytea; SQLite: its hex text). A hundred
    thousand ids as rows cost tens of milliseconds in the driver alone."""
    if connection.vendor == "postgresql":
        # The low 4 bytes of the 8-byte id (ids stay below 2**32; int4 stops at 2**31).
        return (
            "SELECT string_agg(substring(int8send(q.entry_id::int8) FROM 5 FOR 4), ''::bytea) "
            f"FROM ({sql}) q"
        )
    return f"SELECT group_concat(printf('%%08x', q.entry_id), '') FROM ({sql}) q"


def from_ids(value: bytes | memoryview | str | None) -> BitMap:
    """The bitmap of the ids an ``ids_sql`` statement gave."""
    if not value:
        return BitMap()
    raw = bytes.fromhex(value) if isinstance(value, str) else bytes(value)
    ids = array.array("I", raw)
    if sys.byteorder == "little":
        ids.byteswap()
    return BitMap(ids)


@dataclass
class FacetBitmaps:
    """The entries of each facet value, as of ``revision``."""

    revision: int = 0
    stamp: str = ""
    fields: dict[str, list[int]] = field(default_factory=dict)  # facet -> its codes
    labels: dict[int, str] = field(default_factory=dict)  # code -> value
    codes: dict[tuple[str, str], int] = field(default_factory=dict)  # (field, value) -> code
    bits: dict[int, FrozenBitMap] = field(default_factory=dict)  # code -> entries

    def union(self, codes: Iterable[int]) -> BitMap:
        result = BitMap()
        for code in codes:
            result |= self.bits.get(code, EMPTY)
        return result

    def memory(self) -> int:
        """Bytes the bitmaps' containers take."""
        total = 0
        for bits in self.bits.values():
            stats = bits.get_statistics()
            total += (
                stats["n_bytes_array_containers"]
                + stats["n_bytes_run_containers"]
                + stats["n_bytes_bitset_containers"]
            )
        return total

    def serialize(self) -> bytes:
        parts = [SNAPSHOT_FORMAT]
        for code, bits in self.bits.items():
            data = bits.serialize()
            parts += [_HEADER.pack(code, len(data)), data]
        return b"".join(parts)


def deserialize(data: bytes) -> dict[int, FrozenBitMap]:
    if data[:4] != SNAPSHOT_FORMAT:
        raise ValueError("not a facet snapshot of this format")
    view, offset, bits = memoryview(data), 4, {}
    while offset < len(view):
        code, length = _HEADER.unpack_from(view, offset)
        offset += _HEADER.size
        bits[code] = FrozenBitMap.deserialize(view[offset : offset + length])
        offset += length
    return bits


_lock = threading.Lock()
_current: dict[tuple[str, str], FacetBitmaps] = {}


# The newest revision and its stamp, as one row ("0", "" when none): callers that
# already make a round trip may read it in the same statement.
HEAD_SQL = (
    f"SELECT COALESCE(MAX(revision), 0), COALESCE((SELECT stamp FROM {REVISION} "
    f"ORDER BY revision DESC LIMIT 1), '') FROM {REVISION}"
)


def up_to_date(head: tuple[int, str] | None) -> bool:
    """Whether this process's bitmaps are those of ``head`` (None: unknown, no)."""
    known = _current.get((connection.alias, str(connection.settings_dict["NAME"])))
    return head is not None and known is not None and (known.revision, known.stamp) == head


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
    with _lock, timing.step("facet bitmaps brought up to date"):
        known = _current.pop(key, None)  # reloading may change it: gone if that fails
        if known is None or (known.revision, known.stamp) != head:
            if known is None:
                known = _saved(head[0])  # its bits only: ``_load`` reads the dictionary
            known, read = _load(known, head)
            if read >= SAVE_AFTER:
                save(known)
        _current[key] = known
        return known


def forget() -> None:
    """Drop this process's bitmaps (tests: a new process starts without them)."""
    with _lock:
        _current.clear()


def save(bitmaps: FacetBitmaps) -> None:
    """Keep ``bitmaps`` in the database for processes that start later (the newest
    only). A failure is logged, never raised: searches go on without a snapshot."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SNAPSHOT} WHERE revision <= %s", [bitmaps.revision])
            cursor.execute(
                f"INSERT INTO {SNAPSHOT} (revision, stamp, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (revision) DO NOTHING",  # another process saved the same
                [bitmaps.revision, bitmaps.stamp, bitmaps.serialize()],
            )
    except Exception:  # a read-only replica, a time limit: the next process reads more
        logger.warning("Search: facet bitmaps could not be saved", exc_info=True)


def save_if_behind() -> None:
    """Save this process's bitmaps, brought up to date, when the entries written since
    the saved ones (none saved: all) are ``SAVE_AFTER`` or more. Counting them reads
    the revision index from the saved revision on: cheap while few are behind."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {ENTRY} WHERE revision > "
            f"(SELECT COALESCE(MAX(revision), 0) FROM {SNAPSHOT}) LIMIT %s) behind",
            [SAVE_AFTER],
        )
        (behind,) = cursor.fetchone()
    if behind >= SAVE_AFTER:
        bitmaps = current()
        if not _saved_at(bitmaps.revision):
            save(bitmaps)


def _saved_at(revision: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {SNAPSHOT} WHERE revision >= %s", [revision])
        return cursor.fetchone() is not None


def _saved(newest: int) -> FacetBitmaps | None:
    """The newest saved bitmaps the index still vouches for (their revision has the
    same stamp: not rolled back, not pruned), or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.revision, s.stamp, s.data FROM {SNAPSHOT} s JOIN {REVISION} r "
            f"ON r.revision = s.revision AND r.stamp = s.stamp WHERE s.revision <= %s "
            f"ORDER BY s.revision DESC LIMIT 1",
            [newest],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    try:
        bits = deserialize(bytes(row[2]))
    except ValueError:
        logger.warning("Search: saved facet bitmaps unreadable; reading the index")
        return None
    return FacetBitmaps(int(row[0]), row[1], bits=bits)


def _load(known: FacetBitmaps | None, head: tuple[int, str]) -> tuple[FacetBitmaps, int]:
    """New bitmaps at ``head``, and how many entries were read for them: ``known``'s
    with the entries written since re-read, or all read again when ``known`` is not
    an ancestor of ``head``."""
    with connection.cursor() as cursor:
        incremental = False
        if known is not None and known.revision and head[0] >= known.revision:
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
        if incremental and known is not None:
            cursor.execute(
                f"SELECT id, facet_terms FROM {ENTRY} WHERE revision > %s", [known.revision]
            )
        else:
            cursor.execute(f"SELECT id, facet_terms FROM {ENTRY}")
        rows = cursor.fetchall()
    fresh.bits = _apply(known.bits if incremental and known is not None else {}, rows, fresh.labels)
    return fresh, len(rows)


def _apply(
    bits: dict[int, FrozenBitMap], rows: list[tuple[int, str]], counted: dict[int, Any]
) -> dict[int, FrozenBitMap]:
    """``bits`` with the (entry, facet terms) ``rows`` written over them, for the
    ``counted`` codes. Bitmaps are never changed in place (a search in another thread
    may be reading them): a changed value gets a new one."""
    added: dict[str, array.array[int]] = {}
    for entry_id, facet_terms in rows:
        for token in facet_terms.split():
            ids = added.get(token)
            if ids is None:
                ids = added[token] = array.array("I")
            ids.append(entry_id)
    rewritten = BitMap(array.array("I", (entry_id for entry_id, _terms in rows)))
    result = dict(bits)
    if rewritten:
        for code, entries in bits.items():
            if entries.intersect(rewritten):
                result[code] = entries - rewritten  # frozen, as its left side
    for token, ids in added.items():
        (code,) = token_codes(token)
        if code in counted:  # else a filter-only value (a page's group): never counted
            result[code] = result.get(code, EMPTY) | BitMap(ids)
    return result
