"""Settings for the test suite: fast hashing, in-memory cache and e-mail, immediate tasks.

Tests that need the real database queue (federation end-to-end) start server
processes with their own settings instead.
"""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105 - test settings only
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Wagtail's own index serves only the admin's page search, which no test uses and Interlink
# never reads (discovery has its own index, tested in tests/search). Keeping it up to date
# cost about a quarter of every page save in the suite.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False},
}
