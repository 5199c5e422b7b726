"""Search state kept in the database.

- ``IndexEntry`` and ``IndexFacet``: the database backend's index (FTS5 on SQLite and a
  GIN-indexed stored tsvector column on PostgreSQL are created by migrations 0002-0003 over
  ``IndexEntry.terms``).
- ``PendingUpdate``: the durable list of index changes not yet applied to a backend.
  A row is deleted only once its backend acknowledged the change, so an engine that is
  down loses nothing: rows wait and are retried (by the next task run, by
  ``manage.py search_catch_up`` or ``reindex --pending``).
- ``ReindexRun``: progress of a ``reindex`` so an interrupted run resumes.
"""

from __future__ import annotations

from django.db import models


class IndexEntry(models.Model):
    key = models.CharField(max_length=600, unique=True)
    kind = models.CharField(max_length=16, db_index=True)
    title = models.CharField(max_length=600)
    # " folded title words" with a leading space, for word-prefix suggestions.
    suggest = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    sort_deadline = models.CharField(max_length=32, db_index=True)
    sort_published = models.CharField(max_length=32, db_index=True)
    document = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.key


class IndexFacet(models.Model):
    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="facets")
    field = models.CharField(max_length=32)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["field", "value", "entry"], name="search_facet_lookup"),
            models.Index(fields=["entry", "field"], name="search_facet_entry"),
        ]


class PendingUpdate(models.Model):
    class Action(models.TextChoices):
        UPSERT = "upsert"
        DELETE = "delete"

    backend = models.CharField(max_length=32)
    key = models.CharField(max_length=600)
    source = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    action = models.CharField(max_length=8, choices=Action.choices)
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
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reindex {self.backend} → {self.target}"
