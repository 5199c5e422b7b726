"""The Django project's settings: production reads every deployment choice from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

READ_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DATABASE": settings.DATABASES["default"]["ENGINE"],
    "DATABASE_NAME": settings.DATABASES["default"]["NAME"],
    "SITE_URL": settings.WAGTAILADMIN_BASE_URL,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "STATIC_ROOT": str(settings.STATIC_ROOT),
    "EMAIL_HOST": settings.EMAIL_HOST,
    "CACHE": [settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"],
              settings.CACHES["default"].get("KEY_PREFIX", "")],
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SEARCH": [settings.SEARCH_URL, settings.SEARCH_INDEX_PREFIX, settings.SEARCH_PLAIN_JSON,
               settings.SEARCH_TIMEOUT, settings.SEARCH_RETRY_SECONDS, settings.SEARCH_CA_CERTS,
               settings.SEARCH_VERIFY_CERTS],
}))
"""


def _production(env: dict) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "CACHE_KEY_PREFIX")
    }
    clean.update(DJANGO_SETTINGS_MODULE="interlink_site.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + READ_SETTINGS],
        cwd=ROOT / "site",
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_come_from_the_environment(tmp_path):
    """Ensures that production settings take the database, hosts, site URL and paths from the environment."""
    result = _production(
        {
            "SECRET_KEY": "a-real-secret",
            "ALLOWED_HOSTS": "interlink.valmora.example, www.valmora.example",
            "DATABASE_URL": "postgres://interlink@127.0.0.1:5432/interlink",
            "SITE_URL": "https://interlink.valmora.example/",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "EMAIL_HOST": "smtp.valmora.example",
            "SEARCH_URL": "https://search.valmora.example:9200",
            "SEARCH_INDEX_PREFIX": "valmora",
            "SEARCH_PLAIN_JSON": "1",
            "SEARCH_TIMEOUT": "2.5",
            "SEARCH_RETRY_SECONDS": "30",
            "SEARCH_CA_CERTS": "/etc/ssl/valmora-search-ca.pem",
            "SEARCH_VERIFY_CERTS": "1",
        }
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["interlink.valmora.example", "www.valmora.example"]
    assert values["DATABASE"] == "django.db.backends.postgresql"
    assert values["DATABASE_NAME"] == "interlink"
    assert values["SITE_URL"] == "https://interlink.valmora.example"
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://interlink.valmora.example"]
    assert values["MEDIA_ROOT"] == str(tmp_path / "media")
    assert values["STATIC_ROOT"] == str(tmp_path / "static")
    assert values["EMAIL_HOST"] == "smtp.valmora.example"
    assert values["SESSION_COOKIE_SECURE"] is True
    # No REDIS_URL: the database's cache table, shared by every process of the node.
    assert values["CACHE"] == ["interlink_blocks.cache.DatabaseCache", "interlink_cache", ""]
    assert values["SEARCH"] == [
        "https://search.valmora.example:9200",
        "valmora",
        True,
        2.5,
        30,
        "/etc/ssl/valmora-search-ca.pem",
        True,
    ]


def test_production_shares_its_cache_through_redis_when_given_a_url():
    """Ensures that REDIS_URL makes Django's Redis cache the node's shared cache, with the
    key prefix that keeps nodes sharing one Redis database apart."""
    result = _production(
        {
            "SECRET_KEY": "a-real-secret",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "CACHE_KEY_PREFIX": "valmora",
        }
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["CACHE"] == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "valmora",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    """Ensures that production settings refuse to load without SECRET_KEY, naming the variable."""
    result = _production({"ALLOWED_HOSTS": "127.0.0.1"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_embedded_default_is_sqlite_and_database_search():
    """Ensures that without DATABASE_URL the node needs no service: SQLite and Wagtail's database search."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.DATABASES['default']['ENGINE'], "
            "s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']]))",
        ],
        cwd=ROOT / "site",
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "interlink_site.settings.dev",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    engine, search = json.loads(result.stdout.strip().splitlines()[-1])
    assert engine == "django.db.backends.sqlite3"
    assert search.endswith("database")
