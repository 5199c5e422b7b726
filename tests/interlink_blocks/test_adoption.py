"""The settings helper a host site adopts Interlink with (docs/adopting.md)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve

from interlink_blocks import adoption

# INSTALLED_APPS of Wagtail 8's project template (``wagtail start``).
WAGTAIL_START = [
    "home",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]


def test_every_app_is_added_once_and_none_the_site_has():
    """Ensures that all features add every Interlink app and what they use, each once, and
    leave out what the site lists already (``django_filters`` in Wagtail's template)."""
    added = adoption.apps(WAGTAIL_START)
    assert added[0] == "interlink_blocks"
    assert {
        "interlink_blocks.participation",
        "interlink_blocks.reuse",
        "interlink_federation",
        "interlink_search",
        "interlink_themes",
        "django_tasks",
        "django_tasks_db",
        "wagtail.contrib.settings",
        "rest_framework",
    } <= set(added)
    assert len(added) == len(set(added))
    assert "django_filters" not in added
    assert set(added).isdisjoint(WAGTAIL_START)


def test_an_app_listed_by_its_config_class_counts_as_present():
    """Ensures that an app listed as its AppConfig path is not added a second time."""
    added = adoption.apps([*WAGTAIL_START, "rest_framework.apps.RestFrameworkConfig"])
    assert "rest_framework" not in added


def test_a_subset_brings_what_it_needs_and_nothing_else():
    """Ensures that a subset adds its features and those they need (reuse brings
    participation; everything brings content), and not the others."""
    assert adoption.apps(WAGTAIL_START, "content") == [
        "interlink_blocks",
        "wagtail.contrib.typed_table_block",
        "wagtail.api.v2",
        "rest_framework",
        "drf_spectacular",
    ]
    reuse = adoption.apps(WAGTAIL_START, "reuse")
    assert "interlink_blocks.participation" in reuse and "interlink_blocks" in reuse
    assert "interlink_federation" not in reuse and "django_tasks" not in reuse


def test_an_unknown_feature_is_refused_with_the_choices():
    """Ensures that a misspelt feature stops the settings with the list of features."""
    with pytest.raises(ImproperlyConfigured, match="no feature 'serch'.*search"):
        adoption.apps(WAGTAIL_START, "serch")


def test_context_processors_only_with_themes_and_only_once():
    """Ensures that the themes' context processors are added when themes is installed,
    not without it, and not when the site lists them already."""
    processors = adoption.context_processors(["interlink_blocks", "interlink_themes"])
    assert processors == list(adoption.THEME_CONTEXT_PROCESSORS)
    assert adoption.context_processors(["interlink_blocks"]) == []
    assert adoption.context_processors(["interlink_themes"], processors) == []


def test_tasks_use_the_database_backend_and_sqlite_options_take_turns():
    """Ensures that TASKS names django-tasks-db's backend (the worker's queue) and a fresh
    dict each time, and the SQLite options make writers wait instead of failing."""
    assert adoption.tasks() == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert adoption.tasks() is not adoption.tasks()
    options = adoption.sqlite_options()
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 30
    assert "journal_mode=WAL" in options["init_command"]


def test_one_include_routes_the_apps_that_register_their_urls():
    """Ensures that the core's one URL include carries federation's and discovery's routes,
    which they add with the register_interlink_urls hook."""
    assert resolve("/.well-known/webfinger").namespace == "interlink_federation"
    assert resolve("/discover/").namespace == "interlink_search"
    assert resolve("/api/v1/discover/").url_name == "api-discover"


def test_the_api_schema_lists_the_discovery_endpoint_through_the_hook(client, db):
    """Ensures that the core's OpenAPI schema lists discovery's endpoint (added by the
    interlink_openapi_endpoints hook), with no drf-spectacular setting of the site's."""
    from django.conf import settings

    assert "PREPROCESSING_HOOKS" not in getattr(settings, "SPECTACULAR_SETTINGS", {})
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert "/api/v1/discover/" in response.json()["paths"]


# MIDDLEWARE of Wagtail 8's project template (``wagtail start``).
WAGTAIL_START_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]


def test_every_app_includes_the_workspace_and_accounts_before_allauth():
    """Ensures that all features bring the workspace and accounts with allauth's apps, the
    accounts app before allauth (its templates theme allauth's pages), and that the
    workspace alone brings accounts, participation and content."""
    added = adoption.apps(WAGTAIL_START)
    assert {"interlink_blocks.accounts", "interlink_blocks.workspace", "allauth.account"} <= set(
        added
    )
    assert added.index("interlink_blocks.accounts") < added.index("allauth")
    workspace = adoption.apps(WAGTAIL_START, "workspace")
    assert {
        "interlink_blocks",
        "interlink_blocks.participation",
        "interlink_blocks.accounts",
        "allauth",
        "interlink_blocks.workspace",
    } <= set(workspace)
    assert "interlink_federation" not in workspace and "interlink_blocks.reuse" not in workspace


def test_settings_for_every_app_on_wagtail_start():
    """Ensures that the one settings helper gives a ``wagtail start`` site the outage
    middleware first, allauth's after Django's authentication middleware, allauth's backend
    after Django's default one, TASKS, and the account settings; and leaves the site's
    lists unchanged (new lists)."""
    apps = WAGTAIL_START + adoption.apps(WAGTAIL_START)
    middleware = list(WAGTAIL_START_MIDDLEWARE)
    result = adoption.settings(apps, middleware)
    chain = result["MIDDLEWARE"]
    assert chain[0] == adoption.OUTAGE_MIDDLEWARE
    auth = chain.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert chain[auth + 1] == adoption.ACCOUNT_MIDDLEWARE
    assert len(chain) == len(WAGTAIL_START_MIDDLEWARE) + 2
    assert middleware == WAGTAIL_START_MIDDLEWARE
    assert result["AUTHENTICATION_BACKENDS"] == [
        "django.contrib.auth.backends.ModelBackend",
        adoption.ALLAUTH_BACKEND,
    ]
    assert result["TASKS"] == adoption.tasks()
    assert result["LOGIN_URL"] == "account_request_login_code"
    assert result["ACCOUNT_LOGIN_BY_CODE_ENABLED"] is True
    assert not any(name.startswith("AXES") for name in result)


def test_settings_put_axes_first_and_last_and_add_nothing_twice():
    """Ensures that with django-axes installed its backend comes first and its middleware
    last, and that applying the helper to its own output changes nothing (no duplicates)."""
    apps = [*WAGTAIL_START, "axes", *adoption.apps(WAGTAIL_START)]
    backends = ["django.contrib.auth.backends.ModelBackend", "axes.backends.AxesStandaloneBackend"]
    result = adoption.settings(
        apps, [*WAGTAIL_START_MIDDLEWARE, "axes.middleware.AxesMiddleware"], backends
    )
    assert result["AUTHENTICATION_BACKENDS"] == [
        adoption.AXES_BACKEND,
        "django.contrib.auth.backends.ModelBackend",
        adoption.ALLAUTH_BACKEND,
    ]
    assert result["MIDDLEWARE"][-1] == adoption.AXES_MIDDLEWARE
    again = adoption.settings(apps, result["MIDDLEWARE"], result["AUTHENTICATION_BACKENDS"])
    assert again == result
    assert len(set(result["MIDDLEWARE"])) == len(result["MIDDLEWARE"])


def test_settings_of_a_subset_add_no_accounts_and_no_tasks():
    """Ensures that without accounts nor django-tasks-db the helper adds only the outage
    middleware: no backends, no ACCOUNT_* settings, no TASKS."""
    apps = WAGTAIL_START + adoption.apps(WAGTAIL_START, "content", "participation")
    result = adoption.settings(apps, WAGTAIL_START_MIDDLEWARE)
    assert result == {"MIDDLEWARE": [adoption.OUTAGE_MIDDLEWARE, *WAGTAIL_START_MIDDLEWARE]}


def test_the_sites_own_settings_match_the_helper(settings):
    """Ensures that the node's own settings take the account settings from the helper and
    already have every middleware and backend it would add (their values cannot drift)."""
    for name, value in adoption.account_settings().items():
        assert getattr(settings, name) == value, name
    result = adoption.settings(
        settings.INSTALLED_APPS, settings.MIDDLEWARE, settings.AUTHENTICATION_BACKENDS
    )
    assert result["MIDDLEWARE"] == list(settings.MIDDLEWARE)
    assert result["AUTHENTICATION_BACKENDS"] == list(settings.AUTHENTICATION_BACKENDS)


def test_one_include_routes_the_accounts_and_workspace_pages():
    """Ensures that the core's one URL include carries the sign-in by code and the
    workspace's pages."""
    assert resolve("/accounts/login/code/").url_name == "account_request_login_code"
    assert resolve("/workspace/1/").namespace == "interlink_workspace"
