"""Settings shared by every Interlink deployment.

Deployment-specific choices (database, secrets, hosts, search engine, public URL)
live in ``production.py`` and are read from the environment there.
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from interlink_blocks import adoption
from interlink_site.databases import database

PROJECT_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = PROJECT_DIR.parent
BASE_DIR = SITE_DIR.parent

INSTALLED_APPS = [
    # Interlink
    "interlink_blocks",
    "interlink_blocks.participation",
    "interlink_blocks.reuse",
    "interlink_blocks.accounts",
    "interlink_blocks.workspace",
    "interlink_federation",
    "interlink_search",
    "interlink_themes",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Content translation: wagtail-localize keeps translations in step with their source
    # (docs/translation.md); its locales app replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    # Sign-in throttling
    "axes",
    # APIs and background work
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    # Accounts for participants (sign-in by mailed code); interlink_blocks.accounts themes them.
    "allauth",
    "allauth.account",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: a request that meets an unreachable database gets 503 + Retry-After, not 500.
    "interlink_blocks.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "interlink_themes.middleware.LocaleMiddleware",  # Django's, plus unprefixed public views
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interlink_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "interlink_themes.context_processors.navigation",
                "interlink_themes.context_processors.theme",
            ],
        },
    },
]

WSGI_APPLICATION = "interlink_site.wsgi.application"

# The embedded default is one SQLite file; DATABASE_URL switches to PostgreSQL (an empty
# DATABASE_URL counts as unset).
DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'interlink.sqlite3'}",
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in throttling (django-axes): its backend comes first and hooks every
# django.contrib.auth.authenticate() call that carries a request — the Wagtail admin's and
# Django admin's login forms, and any other sign-in built on authenticate(). After
# AXES_FAILURE_LIMIT failed attempts for one username from one address, that pair is
# refused (429) for AXES_COOLOFF_TIME, even with the right password. Attempts are rows in
# the database, so the count holds across processes and machines.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Wagtail's admin login (usernames) and the public sign-in (addresses, codes).
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# REMOTE_ADDR only, as every Interlink budget (the reverse proxy sets it); the account as
# any sign-in form names it (username, or django-allauth's e-mail/login).
AXES_CLIENT_IP_CALLABLE = "interlink_blocks.throttling.sign_in_address"
AXES_USERNAME_CALLABLE = "interlink_blocks.throttling.sign_in_name"

# Content-Security-Policy (django-csp) on every public page: scripts only from our own
# files (no inline script, no eval), inline styles only with the response's nonce (the
# theme's colour tokens). The Wagtail and Django admins keep what they need: no policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        # Federated and embedded content may show images and media from other servers.
        "img-src": [SELF, "data:", "https:"],
        "media-src": [SELF, "https:"],
        "frame-src": ["https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Participants' accounts (docs/workspace.md, "Accounts"): the ACCOUNT_* and LOGIN_* settings
# a host site adopting Interlink gets too (one source, so the two never drift).
globals().update(adoption.account_settings())

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("lv", "Latviešu"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# Local date formats where Django's differ from common usage (e.g. Italian day numbers).
FORMAT_MODULE_PATH = ["interlink_themes.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Uploads and request bodies: generous enough for documents, bounded for safety.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "json",
    "md",
    "odp",
    "ods",
    "odt",
    "pdf",
    "pptx",
    "txt",
    "xlsx",
    "yml",
    "yaml",
    "zip",
]

WAGTAIL_SITE_NAME = "Interlink"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# Discovery (the ``search`` app; docs/search.md). Wagtail's index above serves only
# the admin's page search; discovery keeps its own index. Empty SEARCH_URL = the
# embedded database backend; production.py reads these from the environment.
SEARCH_URL = ""
SEARCH_INDEX_PREFIX = "interlink"
SEARCH_PLAIN_JSON = False
SEARCH_USERNAME = ""
SEARCH_PASSWORD = ""
SEARCH_API_KEY = ""
SEARCH_TIMEOUT = 5.0
SEARCH_RETRY_SECONDS = 60

# Durable background work (deliveries, inbox handling, index updates, e-mail).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON bodies bounded in size and nesting depth (400/413 before parsing).
    "DEFAULT_PARSER_CLASSES": [
        "interlink_blocks.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# Deepest nesting of arrays and objects accepted in JSON from outside (inbox, APIs).
INTERLINK_JSON_MAX_DEPTH = 64
SPECTACULAR_SETTINGS = {
    "TITLE": "Interlink API",
    "DESCRIPTION": "Co-production calls, reusable service assets and success stories.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A database outage is logged once by interlink_blocks.outage, not per request.
    "filters": {"quiet_outage": {"()": "interlink_blocks.outage.QuietOutageFilter"}},
    "loggers": {
        "django.request": {"filters": ["quiet_outage"]},
        "interlink_blocks": {"handlers": ["console"], "level": "INFO"},
        "interlink_federation": {"handlers": ["console"], "level": "INFO"},
        "interlink_search": {"handlers": ["console"], "level": "INFO"},
    },
}
