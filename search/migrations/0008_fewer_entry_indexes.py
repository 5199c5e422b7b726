"""Drop the entry indexes no query uses; each cost every index write.

``kind`` (two values) and ``sort_deadline`` are read only for rows a search already
matched; on PostgreSQL Django also added ``varchar_pattern_ops`` copies of the
``key``, ``kind``, ``sort_deadline`` and ``sort_published`` indexes, for ``LIKE``
queries the index never gets. Six of the nine b-tree indexes PostgreSQL maintained per
entry (four of six on SQLite) go; bulk indexing on PostgreSQL gained about 5%.

The field changes are recorded in the migration state only: on SQLite Django would
rebuild the table, which drops the full-text triggers.
"""

from django.db import migrations, models

TABLE = "interlink_search_indexentry"


def _drop(apps, schema_editor):
    names = [
        schema_editor._create_index_name(TABLE, [column], suffix=suffix)
        for column, suffix in (
            ("kind", ""),
            ("sort_deadline", ""),
            ("kind", "_like"),
            ("sort_deadline", "_like"),
            ("sort_published", "_like"),
            ("key", "_like"),
        )
    ]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def _restore(apps, schema_editor):
    for column in ("kind", "sort_deadline"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS "
            f"{schema_editor.quote_name(schema_editor._create_index_name(TABLE, [column]))} "
            f"ON {TABLE} ({column})"
        )


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0007_facet_bitmaps")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="indexentry", name="kind", field=models.CharField(max_length=16)
                ),
                migrations.AlterField(
                    model_name="indexentry",
                    name="sort_deadline",
                    field=models.CharField(max_length=32),
                ),
            ],
            database_operations=[migrations.RunPython(_drop, _restore)],
        )
    ]
