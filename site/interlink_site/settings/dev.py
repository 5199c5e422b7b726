"""Local development and the demo node: debug on, e-mail to the console."""

import os

from interlink_site.caches import cache

from .base import *

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - dev settings only
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo's web server and worker share budgets and fragments as production does: through
# the database's cache table (made by migrate), or Redis if REDIS_URL is set.
CACHES = {"default": cache(os.environ.get("REDIS_URL", ""))}
