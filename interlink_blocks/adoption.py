"""What a host Wagtail site adds to its settings to adopt Interlink (docs/adopting.md).

A site made with ``wagtail start`` adopts every app with four lines::

    from interlink_blocks import adoption
    INSTALLED_APPS += adoption.apps(INSTALLED_APPS)
    TEMPLATES[0]["OPTIONS"]["context_processors"] += adoption.context_processors(INSTALLED_APPS)
    TASKS = adoption.tasks()

and a SQLite site, whose web server and worker write to one file, a fifth::

    DATABASES["default"]["OPTIONS"] = adoption.sqlite_options()

or a documented subset with ``adoption.apps(INSTALLED_APPS, "content", "search")``. The
optional apps are named here as strings only: the core imports none of them. Nothing here
touches Django's app registry, so settings can import it.
"""

from __future__ import annotations

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
    "federation": ("interlink_federation", "django_tasks", "django_tasks_db"),
    "search": ("interlink_search", "django_tasks", "django_tasks_db"),
    "themes": ("interlink_themes", "wagtail.contrib.settings"),
}
REQUIRES: dict[str, tuple[str, ...]] = {
    "participation": ("content",),
    "reuse": ("content", "participation"),
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
