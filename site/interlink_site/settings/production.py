"""Production settings: every deployment choice comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from interlink_site.caches import cache
from interlink_site.databases import database

from .base import *

DEBUG = False

# SECRET_KEY: required; signs sessions, confirmation links and CSRF tokens.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")

# ALLOWED_HOSTS: comma-separated host names this node answers to.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

# DATABASE_URL: e.g. postgres://user:pass@db:5432/interlink (SQLite under var/ if unset).
DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'interlink.sqlite3'}",
        conn_max_age=600,
    )
}

# REDIS_URL: the shared cache of every process and machine of this node (request budgets,
# the key-refetch allowance, page fragments), e.g. redis://127.0.0.1:6379/0. Unset: a table
# in the database (created by migrate). CACHE_KEY_PREFIX keeps nodes sharing one Redis
# database apart.
CACHES = {"default": cache(os.environ.get("REDIS_URL", ""), os.environ.get("CACHE_KEY_PREFIX", ""))}

# SITE_URL: the public base URL of this node (admin links, e-mails, ActivityPub ids).
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
CSRF_TRUSTED_ORIGINS = [WAGTAILADMIN_BASE_URL]

# SEARCH_URL: an Elasticsearch (or compatible) URL; unset keeps the database backend.
# SEARCH_INDEX_PREFIX: prefix of this node's indexes on a shared cluster.
# SEARCH_PLAIN_JSON: "1" for engines that accept only plain application/json.
SEARCH_URL = os.environ.get("SEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "interlink")
SEARCH_PLAIN_JSON = os.environ.get("SEARCH_PLAIN_JSON", "") == "1"
# SEARCH_USERNAME / SEARCH_PASSWORD or SEARCH_API_KEY: the engine's credentials (optional).
# SEARCH_TIMEOUT: seconds before the engine counts as down (searches fall back).
SEARCH_USERNAME = os.environ.get("SEARCH_USERNAME", "")
SEARCH_PASSWORD = os.environ.get("SEARCH_PASSWORD", "")
SEARCH_API_KEY = os.environ.get("SEARCH_API_KEY", "")
SEARCH_TIMEOUT = float(os.environ.get("SEARCH_TIMEOUT", "5"))
# SEARCH_RETRY_SECONDS: after a failure, searches skip the engine this long (one request
# per interval probes it) and waiting index updates are retried.
SEARCH_RETRY_SECONDS = int(os.environ.get("SEARCH_RETRY_SECONDS", "60"))
# SEARCH_CA_CERTS: path of the CA bundle that signed an https engine's certificate (empty:
# the system's trust store). SEARCH_VERIFY_CERTS: "0" only for a test engine with a
# self-signed certificate.
SEARCH_CA_CERTS = os.environ.get("SEARCH_CA_CERTS", "")
SEARCH_VERIFY_CERTS = os.environ.get("SEARCH_VERIFY_CERTS", "1") != "0"

# EMAIL_URL-style settings: host and port of the SMTP relay.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# STATIC_ROOT / MEDIA_ROOT: where collectstatic and uploads go (served by the proxy).
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(STATIC_ROOT))
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(MEDIA_ROOT))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = WAGTAILADMIN_BASE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# /metrics (docs/deployment.md, "Health and metrics"): closed unless the scraper's address
# is in METRICS_ALLOWED_NETWORKS (comma-separated CIDRs) or it sends METRICS_TOKEN as a
# bearer token.
METRICS_ALLOWED_NETWORKS = [
    n.strip() for n in os.environ.get("METRICS_ALLOWED_NETWORKS", "").split(",") if n.strip()
]
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
