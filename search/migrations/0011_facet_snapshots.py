"""Saved facet bitmaps, so that a new process need not read every entry.

A process built its facet bitmaps from every entry's ``facet_terms`` on its first
search: 8 s on PostgreSQL at a million entries, paid by each new web or worker
process. ``FacetSnapshot`` keeps the newest bitmaps (Roaring bitmaps, serialised); a
new process loads them and re-reads only the entries written since. On PostgreSQL the
value is stored uncompressed out of line (``EXTERNAL``): Roaring bitmaps hardly
compress, and pglz would try on every save.
"""

from importlib import import_module

import django.db.models.functions.datetime
from django.db import migrations, models

facet_codes = import_module("interlink_search.migrations.0004_facet_codes")

POSTGRES_FORWARD = [
    "ALTER TABLE interlink_search_facetsnapshot ALTER COLUMN data SET STORAGE EXTERNAL"
]


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0010_title_word_prefixes")]

    operations = [
        migrations.CreateModel(
            name="FacetSnapshot",
            fields=[
                ("revision", models.BigIntegerField(primary_key=True, serialize=False)),
                ("stamp", models.CharField(max_length=16)),
                ("data", models.BinaryField()),
                (
                    "saved_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
            ],
        ),
        migrations.RunPython(
            facet_codes._vendor([], POSTGRES_FORWARD), migrations.RunPython.noop
        ),
    ]
