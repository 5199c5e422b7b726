"""Django's database cache with an ``incr`` that other processes cannot interleave.

Request budgets (``interlink_blocks.throttling``) count with ``cache.add`` then
``cache.incr``. Django's database cache inherits ``incr`` from ``BaseCache``: a ``get``
then a ``set``, so two processes counting at once lose one of the two hits, and the ``set``
replaces the entry's expiry with the default timeout (five minutes), which ends an hour's
budget early. Redis and memcached increment atomically and keep the expiry; this backend
does the same in one transaction, with the row locked while it is read and written.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.module_loading import import_string
from django.utils.timezone import now


class DatabaseCache(DjangoDatabaseCache):
    """``django.core.cache.backends.db.DatabaseCache`` with an atomic ``incr``."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, value, expires, cache_key = (
            quote(name) for name in (self._table, "value", "expires", "cache_key")
        )
        # Names are the table from settings and its columns, quoted; values are parameters.
        select = f"SELECT {value}, {expires} FROM {table} WHERE {cache_key} = %s"  # noqa: S608
        if connection.features.has_select_for_update:
            select += " FOR UPDATE"  # PostgreSQL: the row stays locked until the UPDATE
        # SQLite takes the database's write lock at BEGIN (transaction_mode IMMEDIATE in
        # interlink_site/databases.py), which serialises the read and the write the same way.
        update = f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s"  # noqa: S608
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            if row is not None:
                expiry = row[1]
                for converter in converters:
                    expiry = converter(expiry, expression, connection)
                if expiry < now():
                    row = None
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            number = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 - our rows
            encoded = base64.b64encode(pickle.dumps(number, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, key])
        return number


def create_cache_tables(using: str = "default", **_kwargs: Any) -> None:
    """``post_migrate``: the database cache's table exists after every ``migrate`` (Django
    leaves it to a separate ``createcachetable``, easy to forget on a fresh machine).
    Does nothing when no database cache is configured, or the table is there already."""
    from django.conf import settings
    from django.core.management import call_command

    if any(_is_database_cache(config.get("BACKEND", "")) for config in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


def _is_database_cache(dotted: str) -> bool:
    try:
        backend = import_string(dotted)
    except ImportError:
        return False
    return isinstance(backend, type) and issubclass(backend, DjangoDatabaseCache)
