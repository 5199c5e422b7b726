"""The database cache (``interlink_blocks.cache``): counters that hold across processes, and
a table that ``migrate`` creates."""

import threading
import time

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, connections
from django.db.models.signals import post_migrate
from django.test import override_settings

TABLE = "interlink_test_cache"
DATABASE_CACHE = {
    "default": {
        "BACKEND": "interlink_blocks.cache.DatabaseCache",
        "LOCATION": TABLE,
        "KEY_PREFIX": "hardening-test",
    }
}


@pytest.fixture
def database_cache(db):
    """Ensures the default cache is the database cache, its table made as ``migrate`` makes it
    (the ``post_migrate`` signal of interlink_blocks)."""
    with override_settings(CACHES=DATABASE_CACHE):
        app = apps.get_app_config("interlink_blocks")
        post_migrate.send(
            sender=app, app_config=app, verbosity=0, interactive=False, using="default", apps=apps
        )
        yield cache


def _expires(key: str):
    full_key = cache.make_and_validate_key(key)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE} WHERE cache_key = %s", [full_key])
        return cursor.fetchone()[0]


def test_migrate_creates_the_cache_table(database_cache):
    """Ensures that after ``migrate`` (its post_migrate signal) the database cache's table
    exists, so a fresh machine needs no separate ``createcachetable``."""
    assert TABLE in connection.introspection.table_names()
    database_cache.set("greeting", "hello", 60)
    assert database_cache.get("greeting") == "hello"


def test_incr_keeps_the_expiry_of_the_entry(database_cache):
    """Ensures that counting keeps an hour-long entry for its hour: Django's own ``incr``
    rewrote it with the default five-minute timeout, which ended hourly budgets early."""
    database_cache.add("budget", 0, timeout=3600)
    before = _expires("budget")
    assert [database_cache.incr("budget") for _ in range(3)] == [1, 2, 3]
    assert _expires("budget") == before
    assert database_cache.get("budget") == 3
    with pytest.raises(ValueError):
        database_cache.incr("never-added")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_all_counted():
    """Ensures that increments from several connections at once are all counted (each
    connection stands for another process): none is lost between a read and a write."""
    with override_settings(CACHES=DATABASE_CACHE):
        app = apps.get_app_config("interlink_blocks")
        post_migrate.send(
            sender=app, app_config=app, verbosity=0, interactive=False, using="default", apps=apps
        )
        try:
            cache.add("shared", 0, timeout=3600)
            start = threading.Barrier(4)
            errors = []

            def count() -> None:
                try:
                    start.wait()
                    for _ in range(25):
                        cache.incr("shared")
                        time.sleep(0)
                except Exception as error:  # noqa: BLE001 - reported by the assertion below
                    errors.append(error)
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=count) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
            assert cache.get("shared") == 100
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
