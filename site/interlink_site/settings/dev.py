"""Local development and the demo node: debug on, e-mail kept and readable at /dev/mail/."""

import os
from importlib.util import find_spec

from interlink_site.caches import cache

from .base import *

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - dev settings only
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo's web server and worker share budgets and fragments as production does: through
# the database's cache table (made by migrate), or Redis if REDIS_URL is set.
CACHES = {"default": cache(os.environ.get("REDIS_URL", ""))}

# The demo's mails are kept rather than sent, and read in the browser at /dev/mail/
# (django-mail-viewer, the "demo" extra; site/interlink_site/urls.py mounts it only when
# DEBUG is on). The worker sends them and the web server shows them: they meet in the
# shared cache, under an alias of their own that never expires. Without the package, mails
# go to the console.
if find_spec("django_mail_viewer"):
    INSTALLED_APPS = [*INSTALLED_APPS, "django_mail_viewer"]
    EMAIL_BACKEND = "django_mail_viewer.backends.cache.EmailBackend"
    CACHES["mail"] = {**CACHES["default"], "TIMEOUT": None, "KEY_PREFIX": "mail"}
    MAILVIEWER_CACHE = "mail"
    # The viewer's own pages use inline styles; it is a development tool, not a public page.
    CONTENT_SECURITY_POLICY = {
        **CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": [*CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"], "/dev/mail/"],
    }
