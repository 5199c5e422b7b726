"""Full-text structures of the database backend, per database vendor.

SQLite: an external-content FTS5 table over ``interlink_search_indexentry.terms`` kept in step
by triggers (the pattern of the SQLite FTS5 documentation, section 4.4.3).
PostgreSQL: a GIN index on ``to_tsvector('simple', terms)``; the terms are already
folded and stemmed in Python, so the 'simple' configuration must not change them.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE interlink_search_indexentry_fts USING fts5("
    "terms, content='interlink_search_indexentry', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER interlink_search_indexentry_ai AFTER INSERT ON interlink_search_indexentry BEGIN "
    "INSERT INTO interlink_search_indexentry_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER interlink_search_indexentry_ad AFTER DELETE ON interlink_search_indexentry BEGIN "
    "INSERT INTO interlink_search_indexentry_fts(interlink_search_indexentry_fts, rowid, terms) "
    "VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER interlink_search_indexentry_au AFTER UPDATE ON interlink_search_indexentry BEGIN "
    "INSERT INTO interlink_search_indexentry_fts(interlink_search_indexentry_fts, rowid, terms) "
    "VALUES ('delete', old.id, old.terms); "
    "INSERT INTO interlink_search_indexentry_fts(rowid, terms) VALUES (new.id, new.terms); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS interlink_search_indexentry_au",
    "DROP TRIGGER IF EXISTS interlink_search_indexentry_ad",
    "DROP TRIGGER IF EXISTS interlink_search_indexentry_ai",
    "DROP TABLE IF EXISTS interlink_search_indexentry_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX interlink_search_indexentry_terms_fts ON interlink_search_indexentry "
    "USING gin (to_tsvector('simple', terms))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS interlink_search_indexentry_terms_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
