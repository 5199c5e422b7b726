"""PostgreSQL: keep each entry's tsvector in a stored generated column.

Ranking with ``ts_rank`` over ``to_tsvector(terms)`` re-parsed every matched row's
terms on each query; a stored column is parsed once, when the row is written, and its
GIN index serves matching. SQLite is unaffected.
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS interlink_search_indexentry_terms_fts",
    "ALTER TABLE interlink_search_indexentry ADD COLUMN terms_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
    "CREATE INDEX interlink_search_indexentry_terms_tsv ON interlink_search_indexentry USING gin (terms_tsv)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS interlink_search_indexentry_terms_tsv",
    "ALTER TABLE interlink_search_indexentry DROP COLUMN IF EXISTS terms_tsv",
    "CREATE INDEX interlink_search_indexentry_terms_fts ON interlink_search_indexentry "
    "USING gin (to_tsvector('simple', terms))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0002_full_text")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
