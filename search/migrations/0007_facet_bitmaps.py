"""Facet bitmaps (``interlink_search.backends.facet_bitmaps``): index writes numbered in commit
order, and each entry stamped with the write that last changed it.

On PostgreSQL the entries' wide columns (document, terms and their tsvector) now go to
TOAST storage, leaving rows of about 130 bytes: finding the entries that match a word
visits a heap row per match, and at 100,000 entries a frequent word read 13,000 pages
of 1.3 kB rows instead of about 1,600. Rows move as they are rewritten
(``manage.py reindex``)."""

from django.db import migrations, models


def _narrow_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE interlink_search_indexentry SET (toast_tuple_target = 128)")


def _wide_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE interlink_search_indexentry RESET (toast_tuple_target)")


class Migration(migrations.Migration):

    dependencies = [
        ('interlink_search', '0006_failures_and_written'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndexRevision',
            fields=[
                ('revision', models.BigIntegerField(primary_key=True, serialize=False)),
                ('stamp', models.CharField(max_length=16)),
            ],
        ),
        migrations.AddField(
            model_name='indexentry',
            name='revision',
            field=models.BigIntegerField(db_index=True, null=True),
        ),
        migrations.RunPython(_narrow_rows, _wide_rows),
    ]
