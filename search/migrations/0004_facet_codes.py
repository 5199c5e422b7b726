"""Facet values as integer codes, and facet tokens in the full-text index.

Facet counting read (entry, field, value) rows with text columns; at 100,000 entries
that, and applying filters with ``IN (subquery)``, dominated a query. Now:

- ``FacetValue`` maps each (field, value) to a code; one field's codes share their
  high 32 bits, so a field is one code range.
- ``IndexFacet`` holds (entry, code) pairs behind (entry, code) and (code, entry)
  indexes: counting is an index-only range probe per matched entry.
- ``IndexEntry.facet_terms`` ("f<code> …") is indexed beside the words: a second FTS5
  column on SQLite, a stored ``facets_tsv`` column with a GIN index on PostgreSQL, so
  filters are posting-list intersections inside the full-text lookup.

Existing index rows are converted in place (no reindex needed).
"""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

SQLITE_DROP_FTS = [
    "DROP TRIGGER IF EXISTS interlink_search_indexentry_au",
    "DROP TRIGGER IF EXISTS interlink_search_indexentry_ad",
    "DROP TRIGGER IF EXISTS interlink_search_indexentry_ai",
    "DROP TABLE IF EXISTS interlink_search_indexentry_fts",
]


def _sqlite_fts(columns):
    """The external-content FTS5 table over ``columns`` and the triggers keeping it in
    step (SQLite FTS5 documentation, section 4.4.3), then a rebuild from the rows."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE interlink_search_indexentry_fts USING fts5({names}, "
        "content='interlink_search_indexentry', content_rowid='id', tokenize='unicode61')",
        "CREATE TRIGGER interlink_search_indexentry_ai AFTER INSERT ON interlink_search_indexentry BEGIN "
        f"INSERT INTO interlink_search_indexentry_fts(rowid, {names}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER interlink_search_indexentry_ad AFTER DELETE ON interlink_search_indexentry BEGIN "
        f"INSERT INTO interlink_search_indexentry_fts(interlink_search_indexentry_fts, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); END",
        "CREATE TRIGGER interlink_search_indexentry_au AFTER UPDATE ON interlink_search_indexentry BEGIN "
        f"INSERT INTO interlink_search_indexentry_fts(interlink_search_indexentry_fts, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO interlink_search_indexentry_fts(rowid, {names}) VALUES (new.id, {new}); END",
        "INSERT INTO interlink_search_indexentry_fts(interlink_search_indexentry_fts) VALUES ('rebuild')",
    ]


POSTGRES_FORWARD = [
    "ALTER TABLE interlink_search_indexentry ADD COLUMN facets_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', facet_terms)) STORED",
    "CREATE INDEX interlink_search_indexentry_facets_tsv ON interlink_search_indexentry USING gin (facets_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS interlink_search_indexentry_facets_tsv",
    "ALTER TABLE interlink_search_indexentry DROP COLUMN IF EXISTS facets_tsv",
]


def _vendor(sqlite, postgresql):
    def run(apps, schema_editor):
        statements = {"sqlite": sqlite, "postgresql": postgresql}
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def to_codes(apps, schema_editor):
    """Give every stored (field, value) a code and write the entries' facet tokens."""
    IndexFacet = apps.get_model("interlink_search", "IndexFacet")
    FacetValue = apps.get_model("interlink_search", "FacetValue")
    IndexEntry = apps.get_model("interlink_search", "IndexEntry")
    buckets: dict[str, int] = {}
    counters: dict[str, int] = defaultdict(int)
    codes = {}
    for field, value in (
        IndexFacet.objects.values_list("field", "value").distinct().order_by("field", "value")
    ):
        bucket = buckets.setdefault(field, len(buckets) + 1)
        counters[field] += 1
        codes[field, value] = (bucket << 32) | counters[field]
    FacetValue.objects.bulk_create(
        [FacetValue(code=code, field=f, value=v) for (f, v), code in codes.items()],
        batch_size=500,
    )
    for (field, value), code in codes.items():
        IndexFacet.objects.filter(field=field, value=value).update(facet_id=code)
    tokens = defaultdict(list)
    for entry_id, code in IndexFacet.objects.values_list("entry_id", "facet_id").iterator():
        tokens[entry_id].append(f"f{code}")
    entries = [IndexEntry(id=pk, facet_terms=" ".join(t)) for pk, t in tokens.items()]
    IndexEntry.objects.bulk_update(entries, ["facet_terms"], batch_size=500)


def from_codes(apps, schema_editor):
    IndexFacet = apps.get_model("interlink_search", "IndexFacet")
    FacetValue = apps.get_model("interlink_search", "FacetValue")
    for item in FacetValue.objects.all():
        IndexFacet.objects.filter(facet_id=item.code).update(field=item.field, value=item.value)


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0003_postgres_tsvector_column")]

    operations = [
        migrations.RunPython(
            _vendor(SQLITE_DROP_FTS, []), _vendor(SQLITE_DROP_FTS + _sqlite_fts(["terms"]), [])
        ),
        migrations.CreateModel(
            name="FacetValue",
            fields=[
                ("code", models.BigIntegerField(primary_key=True, serialize=False)),
                ("field", models.CharField(max_length=32)),
                ("value", models.CharField(max_length=200)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("field", "value"), name="interlink_search_facetvalue_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="indexentry",
            name="facet_terms",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.RemoveIndex(model_name="indexfacet", name="search_facet_lookup"),
        migrations.RemoveIndex(model_name="indexfacet", name="search_facet_entry"),
        migrations.AddField(
            model_name="indexfacet",
            name="facet",
            field=models.ForeignKey(
                db_column="code",
                db_constraint=False,
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interlink_search.facetvalue",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="indexfacet",
            name="entry",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="facets",
                to="interlink_search.indexentry",
            ),
        ),
        migrations.RunPython(to_codes, from_codes),
        # Defaults only so that unapplying can add the columns back before from_codes.
        migrations.AlterField(
            model_name="indexfacet", name="field", field=models.CharField(max_length=32, default="")
        ),
        migrations.AlterField(
            model_name="indexfacet",
            name="value",
            field=models.CharField(max_length=200, default=""),
        ),
        migrations.RemoveField(model_name="indexfacet", name="field"),
        migrations.RemoveField(model_name="indexfacet", name="value"),
        migrations.AddIndex(
            model_name="indexfacet",
            index=models.Index(fields=["facet", "entry"], name="search_facet_lookup"),
        ),
        migrations.AddIndex(
            model_name="indexfacet",
            index=models.Index(fields=["entry", "facet"], name="search_facet_entry"),
        ),
        migrations.RunPython(
            _vendor(_sqlite_fts(["terms", "facet_terms"]), POSTGRES_FORWARD),
            _vendor(SQLITE_DROP_FTS, POSTGRES_BACKWARD),
        ),
    ]
