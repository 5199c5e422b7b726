"""What a host Wagtail site adds to its settings to adopt Interlink (docs/adopting.md).

A site made with ``wagtail start`` adopts every app with four lines::

    from interlink_blocks import adoption
    INSTALLED_APPS += adoption.apps(INSTALLED_APPS)
    TEMPLATES[0]["OPTIONS"]["context_processors"] += adoption.context_processors(INSTALLED_APPS)
    globals().update(adoption.settings(INSTALLED_APPS, MIDDLEWARE))

and a SQLite site, whose web server and worker write to one file, a fifth::

    DATABASES["default"]["OPTIONS"] = adoption.sqlite_options()

or a documented subset with ``adoption.apps(INSTALLED_APPS, "content", "search")``. The
optional apps are named here as strings only: the core imports none of them. Nothing here
touches Django's app registry, so settings can import it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from django.core.exceptions import ImproperlyConfigured

# Each feature's apps, in the order they are added; a feature brings the ones it needs.
FEATURES: dict[str, tuple[str, ...]] = {
    "content": (
        "interlink_blocks",
        "wagtail.contrib.typed_table_block",
        "wagtail.api.v2",
        "rest_framework",
        "django_filters",
        "drf_spectacular",
    ),
    "participation": ("interlink_blocks.participation",),
    "reuse": ("interlink_blocks.reuse",),
    # Before allauth: its templates theme allauth's sign-in pages.
    "accounts": ("interlink_blocks.accounts", "allauth", "allauth.account"),
    "workspace": ("interlink_blocks.workspace",),
    "federation": ("interlink_federation", "django_tasks", "django_tasks_db"),
    "search": ("interlink_search", "django_tasks", "django_tasks_db"),
    "themes": ("interlink_themes", "wagtail.contrib.settings"),
}
REQUIRES: dict[str, tuple[str, ...]] = {
    "participation": ("content",),
    "reuse": ("content", "participation"),
    "accounts": ("content", "participation"),
    "workspace": ("content", "participation", "accounts"),
    "federation": ("content",),
    "search": ("content",),
    "themes": ("content",),
}
ALL_FEATURES = tuple(FEATURES)

# The themes' context: the site's theme and brand, and its menu (docs/themes.md).
THEME_CONTEXT_PROCESSORS = (
    "interlink_themes.context_processors.theme",
    "interlink_themes.context_processors.navigation",
)

# Participants' accounts (docs/workspace.md, "Accounts"): an address and a mailed code, a
# password only if the person sets one. Signing in never opens the Wagtail admin.
ACCOUNT_SETTINGS: dict[str, object] = {
    "ACCOUNT_ADAPTER": "interlink_blocks.accounts.adapter.AccountAdapter",
    "ACCOUNT_FORMS": {
        "login": "interlink_blocks.accounts.forms.PasswordLoginForm",
        "request_login_code": "interlink_blocks.accounts.forms.RequestCodeForm",
        "confirm_login_code": "interlink_blocks.accounts.forms.ConfirmCodeForm",
        "set_password": "interlink_blocks.accounts.forms.SetPasswordForm",
        "change_password": "interlink_blocks.accounts.forms.ChangePasswordForm",
    },
    "ACCOUNT_LOGIN_METHODS": {"email"},
    # A password is optional: the sign-up form (closed) and the password sign-in need it named.
    "ACCOUNT_SIGNUP_FIELDS": ["email*", "password1"],
    "ACCOUNT_UNIQUE_EMAIL": True,
    "ACCOUNT_EMAIL_VERIFICATION": "mandatory",
    "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED": True,
    "ACCOUNT_LOGIN_BY_CODE_ENABLED": True,
    "ACCOUNT_PREVENT_ENUMERATION": True,
    # A typed address unknown here gets an account and a code like any other (the code
    # proves it): allauth's "no account for this address" mail only tells strangers who has one.
    "ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS": False,
    "ACCOUNT_LOGOUT_REDIRECT_URL": "/",
    "ACCOUNT_MAX_EMAIL_ADDRESSES": 1,
    "LOGIN_URL": "account_request_login_code",
    "LOGIN_REDIRECT_URL": "interlink_accounts:home",
}
# Django's default, which a site that never set AUTHENTICATION_BACKENDS has.
DEFAULT_BACKENDS = ("django.contrib.auth.backends.ModelBackend",)
OUTAGE_MIDDLEWARE = "interlink_blocks.outage.DatabaseOutageMiddleware"
ACCOUNT_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"
AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
AXES_BACKEND = "axes.backends.AxesStandaloneBackend"
AXES_MIDDLEWARE = "axes.middleware.AxesMiddleware"


def _features(chosen: Sequence[str]) -> list[str]:
    unknown = [name for name in chosen if name not in FEATURES]
    if unknown:
        raise ImproperlyConfigured(
            f"Interlink has no feature {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(ALL_FEATURES)}."
        )
    wanted = set(chosen)
    for name in chosen:
        wanted.update(REQUIRES.get(name, ()))
    return [name for name in ALL_FEATURES if name in wanted]


def _app_names(entries: Iterable[str]) -> set[str]:
    """The app modules of INSTALLED_APPS entries, which may name an AppConfig class."""
    names = set()
    for entry in entries:
        names.add(entry)
        if ".apps." in entry:
            names.add(entry.split(".apps.")[0])
    return names


def apps(installed_apps: Iterable[str], *features: str) -> list[str]:
    """The apps to add to ``INSTALLED_APPS`` for ``features`` (default: all of them), with
    the apps they need (``reuse`` brings ``participation``; every feature brings
    ``content``), leaving out those ``installed_apps`` already has (Wagtail's project
    template lists ``django_filters``, for example)."""
    present = _app_names(installed_apps)
    added: list[str] = []
    for feature in _features(features or ALL_FEATURES):
        added += [app for app in FEATURES[feature] if app not in present and app not in added]
    return added


def context_processors(
    installed_apps: Iterable[str], context_processors: Iterable[str] = ()
) -> list[str]:
    """The context processors the installed Interlink apps need (only themes has any),
    leaving out those ``context_processors`` already has."""
    if "interlink_themes" not in _app_names(installed_apps):
        return []
    present = set(context_processors)
    return [name for name in THEME_CONTEXT_PROCESSORS if name not in present]


def settings(
    installed_apps: Iterable[str],
    middleware: Iterable[str],
    authentication_backends: Iterable[str] = DEFAULT_BACKENDS,
) -> dict[str, object]:
    """The other settings the installed Interlink apps need, for
    ``globals().update(adoption.settings(INSTALLED_APPS, MIDDLEWARE))`` after the apps line:

    - ``MIDDLEWARE`` with the outage middleware first (a lost database answers 503 with
      ``Retry-After``, not 500) and, with accounts, allauth's ``AccountMiddleware`` after
      Django's authentication middleware (and django-axes' last, if the site installs axes);
    - ``TASKS`` (:func:`tasks`) when django-tasks-db is installed;
    - with accounts, ``AUTHENTICATION_BACKENDS`` plus allauth's backend (axes' first, if
      installed) and :data:`ACCOUNT_SETTINGS` (the ``ACCOUNT_*`` and ``LOGIN_*`` settings).

    Lists are new ones: what the site has, in its order, plus what is missing, each once. A
    site that sets ``AUTHENTICATION_BACKENDS`` itself passes it as the third argument."""
    present = _app_names(installed_apps)
    chain = list(dict.fromkeys(middleware))
    if OUTAGE_MIDDLEWARE not in chain:
        chain.insert(0, OUTAGE_MIDDLEWARE)
    result: dict[str, object] = {"MIDDLEWARE": chain}
    if "django_tasks_db" in present:
        result["TASKS"] = tasks()
    if "interlink_blocks.accounts" not in present:
        return result
    if ACCOUNT_MIDDLEWARE not in chain:
        after = chain.index(AUTH_MIDDLEWARE) + 1 if AUTH_MIDDLEWARE in chain else len(chain)
        chain.insert(after, ACCOUNT_MIDDLEWARE)
    backends = list(dict.fromkeys(authentication_backends))
    if ALLAUTH_BACKEND not in backends:
        backends.append(ALLAUTH_BACKEND)
    if "axes" in present:
        # django-axes asks for its backend first (it hooks every authenticate() call) and
        # its middleware last (it turns a locked-out sign-in into its answer).
        backends = [AXES_BACKEND, *(name for name in backends if name != AXES_BACKEND)]
        chain[:] = [*(name for name in chain if name != AXES_MIDDLEWARE), AXES_MIDDLEWARE]
    result["AUTHENTICATION_BACKENDS"] = backends
    result.update(account_settings())
    return result


def account_settings() -> dict[str, object]:
    """A fresh copy of :data:`ACCOUNT_SETTINGS` (the site may change its lists in place)."""
    return copy.deepcopy(ACCOUNT_SETTINGS)


def tasks() -> dict[str, dict[str, str]]:
    """``TASKS`` with django-tasks' database backend: federation deliveries, inbox handling,
    search index updates and e-mail run in the worker (``manage.py federation_worker``, or
    ``db_worker`` without federation) instead of inside the editor's request."""
    return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def sqlite_options() -> dict[str, object]:
    """SQLite ``OPTIONS`` for a web server and a worker writing to one file: WAL (readers
    beside the writer), ``IMMEDIATE`` transactions (a transaction takes the write lock at
    ``BEGIN``: a deferred one that read first fails at once with "database is locked" when
    another process wrote in between) and a 30 s wait for the lock. ``synchronous=NORMAL``
    in WAL mode loses the last commits only if the machine itself loses power."""
    return {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
