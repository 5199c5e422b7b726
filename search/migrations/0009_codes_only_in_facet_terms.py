"""Drop ``IndexFacet``: entries keep their facet codes in ``facet_terms`` only.

The (entry, code) rows were written for counting facets in SQL; facet counts now come
from per-process bitmaps, which are built from ``facet_terms``, and related items are
found through the full-text index of the same column. The rows (some fifteen per entry)
and their two composite indexes were a third of the database backend's indexing work
on PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("interlink_search", "0008_fewer_entry_indexes")]

    operations = [migrations.DeleteModel(name="IndexFacet")]
