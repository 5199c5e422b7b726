"""Every name Interlink puts into a host site is Interlink's own (issue #21, item 1).

A host made with ``wagtail start`` already has the apps ``home`` and ``search``, the
templates ``base.html``, ``404.html``, ``500.html``, ``home/`` and ``search/``, a
``HomePage`` and the URL name ``search``; common apps bring more generic names
(``participation``, ``themes``, ``ThemeSettings``, ``StoryPage``…). Django resolves clashes
silently (the first template or static file found wins, a URL namespace or management
command is shadowed) or refuses to start (app labels, reverse accessors). These checks read
what the installed apps really register, so a new app, template folder or relation that
takes a generic name fails here rather than in an adopter's site.
"""

from pathlib import Path

import django.core.management
from django.apps import apps
from django.core.management import find_commands, get_commands
from django.urls import URLResolver, get_resolver

PREFIX = "interlink_"

# Folders named after another app on purpose: accounts overrides django-allauth's templates.
OVERRIDES = {
    ("interlink_accounts", "templates", "account"),
    ("interlink_accounts", "templates", "allauth"),
}
# Every app, including those that landed after the renames of #21 (workspace, accounts),
# uses interlink_ names: nothing is left awaiting a rename.
NOT_YET_RENAMED: set[tuple[str, str, str]] = set()
NAMESPACES_NOT_YET_RENAMED: set[str] = set()
RELATIONS_NOT_YET_RENAMED: list[str] = []


def our_apps():
    return [config for config in apps.get_app_configs() if config.name.startswith("interlink_")]


def test_there_are_apps_to_check():
    """Ensures that the checks below see every Interlink app of the demo settings."""
    labels = {config.label for config in our_apps()}
    assert {
        "interlink_blocks",
        "interlink_participation",
        "interlink_reuse",
        "interlink_federation",
        "interlink_search",
        "interlink_themes",
    } <= labels


def test_app_labels_and_import_names_are_ours():
    """Ensures that every app's label and top-level import name start with ``interlink_``."""
    for config in our_apps():
        assert config.label.startswith(PREFIX), config.name
        assert config.name.split(".")[0].startswith(PREFIX), config.name


def test_template_and_static_folders_are_ours():
    """Ensures that each app keeps its templates and static files in a folder named after
    it (``templates/interlink_…/``), with no file at the top where a host's ``base.html``,
    ``404.html`` or ``css/`` would be shadowed or shadow ours."""
    generic: set[tuple[str, str, str]] = set()
    for config in our_apps():
        for kind in ("templates", "static"):
            folder = Path(config.path) / kind
            if not folder.is_dir():
                continue
            entries = sorted(entry.name for entry in folder.iterdir())
            assert entries, f"{config.label}: empty {kind}/"
            for entry in entries:
                assert (folder / entry).is_dir(), f"{config.label}: {kind}/{entry}"
                if not entry.startswith(PREFIX):
                    generic.add((config.label, kind, entry))
    assert generic - OVERRIDES == NOT_YET_RENAMED


def test_template_tag_libraries_are_ours():
    """Ensures that every template tag library is named ``interlink_…``: libraries share
    one namespace across all installed apps, and a later one replaces an earlier one."""
    for config in our_apps():
        folder = Path(config.path) / "templatetags"
        for module in folder.glob("*.py") if folder.is_dir() else ():
            if module.stem != "__init__":
                assert module.stem.startswith(PREFIX), f"{config.label}: {module.name}"


def _defined_in(resolver: URLResolver) -> str:
    """The module of a resolver's URLconf; for a plain list of patterns, the module of the
    first Interlink view in it (else of its first view)."""
    module = getattr(resolver.urlconf_module, "__name__", "")
    if module:
        return module
    modules = []
    for pattern in resolver.url_patterns:
        callback = getattr(pattern, "callback", None)
        if callback is not None:
            modules.append(getattr(callback, "__module__", ""))
        elif isinstance(pattern, URLResolver):
            modules.append(_defined_in(pattern))
    return next(
        (name for name in modules if name.startswith(PREFIX)), modules[0] if modules else ""
    )


def _namespaces(resolver: URLResolver, found: dict[str, str], outer: str = "") -> dict[str, str]:
    """Every top-level URL namespace and the module that defines it (nested ones, such as
    the Wagtail API's endpoints inside ``interlink_wagtailapi``, are inside their parent)."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace and not outer:
                found[pattern.namespace] = _defined_in(pattern)
            _namespaces(pattern, found, outer or pattern.namespace or "")
    return found


def test_url_namespaces_are_ours():
    """Ensures that every URL namespace of Interlink's URLconfs (public, API and admin)
    starts with ``interlink_``: Wagtail's project template routes its own search as
    ``search``, and another app may well use ``participation``."""
    namespaces = _namespaces(get_resolver(), {})
    ours = {name for name, module in namespaces.items() if module.startswith(PREFIX)}
    assert {
        "interlink_federation",
        "interlink_search",
        "interlink_participation",
        "interlink_participation_api",
        "interlink_participation_admin",
        "interlink_reuse",
        "interlink_wagtailapi",
        "interlink_federation_catalogue",
        "interlink_workspace",
        "interlink_workspace_admin",
        "interlink_workspace_api",
    } <= ours
    assert {name for name in ours if not name.startswith(PREFIX)} == NAMESPACES_NOT_YET_RENAMED


def test_relations_to_shared_models_have_reverse_names_of_our_own():
    """Ensures that every relation from an Interlink model to a model of another app (a
    Wagtail page, site, user, image…) has a reverse name starting ``interlink_`` (or none,
    ``+``): Django derives the default from the class name, so a host's own ``StoryPage``
    or ``ThemeSettings`` would clash with ours (fields.E304/E305)."""
    offending = []
    for config in our_apps():
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not (field.is_relation and field.concrete and field.related_model):
                    continue
                target = field.related_model._meta.app_label
                if target.startswith(PREFIX) or field.model is not model:
                    continue  # our own models, or a field Wagtail's Page defines
                name = field.remote_field.get_accessor_name() or "+"
                if not (name.startswith(PREFIX) or name.endswith("+")):
                    offending.append(f"{model._meta.label}.{field.name} -> {name}")
    assert offending == RELATIONS_NOT_YET_RENAMED


def test_management_commands_shadow_none_of_other_apps():
    """Ensures that no Interlink management command has the name of a Django, Wagtail or
    other installed app's command (the first app in INSTALLED_APPS would hide the other)."""
    ours = {config.name for config in our_apps()}
    commands = get_commands()
    interlink_commands = {name for name, app in commands.items() if app in ours}
    assert {"reindex", "federation_worker", "load_demo"} <= interlink_commands
    others = set(find_commands(str(Path(django.core.management.__file__).parent)))
    others |= {
        name
        for config in apps.get_app_configs()
        if config.name not in ours
        for name in find_commands(str(Path(config.path) / "management"))
    }
    assert interlink_commands & others == set()
