"""Title words in the full-text index, for suggestions by prefix.

Suggestions ("the titles with a word starting with what was typed") read entries
newest first and tested each title: a prefix that few titles have read every entry
(360 ms on PostgreSQL, 150 ms on SQLite at 100,000 entries, on each keystroke). The
folded title words (``IndexEntry.suggest``) are now indexed too: a third FTS5 column on
SQLite, a stored ``suggest_tsv`` column with a GIN index on PostgreSQL, so a rare
prefix reads only the entries that have it.
"""

from importlib import import_module

from django.db import migrations

facet_codes = import_module("interlink_search.migrations.0004_facet_codes")

POSTGRES_FORWARD = [
    "ALTER TABLE interlink_search_indexentry ADD COLUMN suggest_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', suggest)) STORED",
    "CREATE INDEX interlink_search_indexentry_suggest_tsv ON interlink_search_indexentry USING gin (suggest_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS interlink_search_indexentry_suggest_tsv",
    "ALTER TABLE interlink_search_indexentry DROP COLUMN IF EXISTS suggest_tsv",
]
SQLITE_FORWARD = facet_codes.SQLITE_DROP_FTS + facet_codes._sqlite_fts(
    ["terms", "facet_terms", "suggest"]
)
SQLITE_BACKWARD = facet_codes.SQLITE_DROP_FTS + facet_codes._sqlite_fts(["terms", "facet_terms"])


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0009_codes_only_in_facet_terms")]

    operations = [
        migrations.RunPython(
            facet_codes._vendor(SQLITE_FORWARD, POSTGRES_FORWARD),
            facet_codes._vendor(SQLITE_BACKWARD, POSTGRES_BACKWARD),
        )
    ]
