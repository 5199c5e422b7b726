"""Settings shared by every Interlink deployment.

Deployment-specific choices (database, secrets, hosts, search engine, public URL)
live in ``production.py`` and are read from the environment there.
"""

import os
from pathlib import Path

from interlink_site.databases import database

PROJECT_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = PROJECT_DIR.parent
BASE_DIR = SITE_DIR.parent

INSTALLED_APPS = [
    # Interlink
    "interlink_blocks",
    "interlink_blocks.participation",
    "interlink_blocks.reuse",
    "interlink_federation",
    "interlink_search",
    "interlink_themes",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
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
    # APIs and background work
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "interlink_themes.middleware.LocaleMiddleware",  # Django's, plus unprefixed public views
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
# Reuse (interlink_blocks.reuse) downloads remote files through federation's guarded client.
INTERLINK_REUSE_HTTP_CLIENT = "interlink_federation.client.guarded_request"

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
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Interlink API",
    "DESCRIPTION": "Co-production calls, reusable service assets and success stories.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Optional apps add their endpoints to the core's schema without the core importing them.
    "PREPROCESSING_HOOKS": ["interlink_search.api.add_to_openapi_schema"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "interlink_blocks": {"handlers": ["console"], "level": "INFO"},
        "interlink_federation": {"handlers": ["console"], "level": "INFO"},
        "interlink_search": {"handlers": ["console"], "level": "INFO"},
    },
}
