"""Search state kept in the database.

- ``IndexEntry`` and ``FacetValue``: the database backend's index. Full text is created
  by migrations 0002-0004 over ``IndexEntry.terms`` and ``IndexEntry.facet_terms``: an
  FTS5 table on SQLite, GIN-indexed stored tsvector columns on PostgreSQL.
- ``PendingUpdate``: the durable list of index changes not yet applied to a backend.
  A row is deleted only once its backend acknowledged the change, so an engine that is
  down loses nothing: rows wait and are retried (by the next task run, or on demand by
  ``manage.py reindex --pending``). A row whose document cannot be built (a malformed
  remote object) is marked ``invalid`` with the error, and no longer blocks the others;
  the object's next change, or ``reindex --pending``, tries it again.
- ``ReindexRun``: progress of a ``reindex`` so an interrupted run resumes.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now


def facet_token(code: int) -> str:
    """The token of a facet value's code in ``IndexEntry.facet_terms``."""
    return f"f{code}"


def token_codes(facet_terms: str) -> list[int]:
    """The codes of the tokens in an entry's ``facet_terms``."""
    return [int(token[1:]) for token in facet_terms.split()]


class IndexEntry(models.Model):
    key = models.CharField(max_length=600, unique=True)
    kind = models.CharField(max_length=16)
    title = models.CharField(max_length=600)
    # " folded title words" with a leading space, for word-prefix suggestions.
    suggest = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    # One token per facet value ("f<code>", see ``FacetValue``): the full-text index
    # then applies facet filters by intersecting posting lists, in the same lookup as
    # the words; facet counting and related items read the codes from here too.
    facet_terms = models.TextField(blank=True)
    sort_deadline = models.CharField(max_length=32)
    sort_published = models.CharField(max_length=32, db_index=True)
    document = models.JSONField(default=dict)
    # The ``IndexRevision`` of the write that last changed this entry (none for
    # entries written before revisions were kept). Nullable so that SQLite adds the
    # column in place: a non-null one makes Django rebuild the table, which drops the
    # full-text triggers.
    revision = models.BigIntegerField(null=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class IndexRevision(models.Model):
    """One row per index write, numbered in commit order (see
    ``interlink_search.backends.facet_bitmaps``): processes that keep facet bitmaps in memory
    re-read the entries stamped since the revision they know. The random ``stamp``
    tells a rolled-back revision from a later one with the same number."""

    revision = models.BigIntegerField(primary_key=True)
    stamp = models.CharField(max_length=16)

    def __str__(self) -> str:
        return str(self.revision)


class FacetSnapshot(models.Model):
    """The facet bitmaps of one revision, saved so that a process starting up need not
    read every entry (``interlink_search.backends.facet_bitmaps``); the newest only. It
    counts only while ``IndexRevision`` still has its revision with the same stamp."""

    revision = models.BigIntegerField(primary_key=True)
    stamp = models.CharField(max_length=16)
    data = models.BinaryField()
    saved_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"facet bitmaps at {self.revision}"


class FacetValue(models.Model):
    """The dictionary of facet values: one integer code per (field, value).

    A field's codes share their high 32 bits (``code >> 32``), so one field's values
    form one contiguous range. Codes are never reused or deleted, so they can be
    written into ``IndexEntry.facet_terms``.
    """

    code = models.BigIntegerField(primary_key=True)
    field = models.CharField(max_length=32)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["field", "value"], name="interlink_search_facetvalue_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class PendingUpdate(models.Model):
    class Action(models.TextChoices):
        UPSERT = "upsert"
        DELETE = "delete"

    class State(models.TextChoices):
        PENDING = "pending"
        # The document could not be built (see ``last_error``); skipped until retried.
        INVALID = "invalid"

    backend = models.CharField(max_length=32)
    key = models.CharField(max_length=600)
    source = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    action = models.CharField(max_length=8, choices=Action.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["backend", "key"], name="search_pending_unique")
        ]
        ordering = ["updated_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.key} on {self.backend}"


class ReindexRun(models.Model):
    backend = models.CharField(max_length=32)
    target = models.CharField(max_length=200, blank=True)
    # {source name: last object pk done}, so a resumed run skips what it already indexed.
    progress = models.JSONField(default=dict)
    indexed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # Objects whose document could not be built (logged with their keys).
    failed = models.PositiveIntegerField(default=0)
    # Net documents the target gained, as the engine reported each write (created minus
    # deleted, rebuild batches and live updates alike): the target must hold exactly
    # this many before it may replace the live index. Only ever changed with F().
    written = models.IntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reindex {self.backend} → {self.target}"
