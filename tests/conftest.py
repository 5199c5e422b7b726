"""Shared fixtures: a site tree with Interlink's index pages, and page factories."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from interlink_blocks.blocks import default_schema
from interlink_blocks.models import (
    AssetIndexPage,
    AssetPage,
    CallIndexPage,
    CallPage,
    MunicipalityHomePage,
    Sector,
    StoryIndexPage,
)

SCREENSHOTS_PLUGIN = "tests.browser.screenshots"


def pytest_configure(config):
    """Loads the browser tests' screenshot-folder plugin in every process, the pytest-xdist
    controller included (it loads this conftest, not the browser one): the whole run then
    shares one folder and ends by naming it."""
    if not config.pluginmanager.has_plugin(SCREENSHOTS_PLUGIN):
        config.pluginmanager.import_plugin(SCREENSHOTS_PLUGIN)


def pytest_collection_modifyitems(config, items):
    """Leaves out tests marked ``postgres`` when the suite runs on SQLite (they run in
    ``make test`` with DATABASE_URL, as CI does), and says so in the summary."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) == len(items):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres") is not None]
    config.hook.pytest_deselected(items=deselected)
    items[:] = kept
    config._interlink_postgres_only = len(deselected)


def pytest_terminal_summary(terminalreporter, config):
    # The fault suite's counts and times (here, in the root conftest, so that the
    # pytest-xdist controller prints them too).
    from tests.support.faults import faults_summary

    faults_summary(terminalreporter)
    left_out = getattr(config, "_interlink_postgres_only", 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} PostgreSQL-only test(s) left out on SQLite; "
            "DATABASE_URL=postgres://… runs them."
        )


@pytest.fixture(scope="session", autouse=True)
def _close_search_side_connections(django_db_setup):
    """Closes the database backend's side connections (``interlink_search.backends.side_queries``,
    opened by searches outside a transaction) before the test database is dropped:
    PostgreSQL refuses to drop a database others are connected to."""
    yield
    from interlink_search.backends import side_queries

    side_queries.close_all()


@pytest.fixture(autouse=True)
def _default_language_for_each_test():
    """Starts every test in the site's default language and puts it back afterwards: a test
    (or a view it calls in-process) that activates Spanish would otherwise leave the next
    test on the same worker reading Spanish messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def ensure_wagtail_base() -> None:
    """Recreates what Wagtail's data migrations create, if a flush removed it (idempotent)."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page, Site

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=Locale.get_default())
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)


@pytest.fixture
def wagtail_base(transactional_db):
    """Ensures Wagtail's root page, default site, locale and root collection exist in a
    transactional test (the flush after each one removes what Wagtail's migrations made)."""
    ensure_wagtail_base()


@pytest.fixture
def home(db):
    """Ensures a fresh MunicipalityHomePage is the default site's root page."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=MunicipalityHomePage(title="City of Example", slug="city"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.site_name = "City of Example"
    site.save()
    return home


@pytest.fixture
def call_index(home):
    return home.add_child(instance=CallIndexPage(title="Co-production calls", slug="calls"))


@pytest.fixture
def asset_index(home):
    return home.add_child(instance=AssetIndexPage(title="Reusable assets", slug="assets"))


@pytest.fixture
def story_index(home):
    return home.add_child(instance=StoryIndexPage(title="Success stories", slug="stories"))


@pytest.fixture
def make_call(call_index):
    """Creates a published call; keyword arguments override the defaults (its plan is
    INTERLINK's default, as an editor who chose it on the call's form)."""

    def make(publish=True, sectors=(), **fields):
        today = timezone.localdate()
        values = {
            "title": "Redesign the home-care request service",
            "summary": "Help us make asking for home care simple for older residents and their families.",
            "status": "open",
            "phase": "design",
            "opens_at": today - datetime.timedelta(days=10),
            "deadline": today + datetime.timedelta(days=30),
            "participant_types": ["citizens", "non_profits"],
            "coproduction_schema": default_schema(),
        }
        values.update(fields)
        call = call_index.add_child(instance=CallPage(**values))
        if sectors:
            call.sectors.set(Sector.objects.filter(slug__in=sectors))
        revision = call.save_revision()
        if publish:
            revision.publish()
        else:
            call.unpublish() if call.live else None
        call.refresh_from_db()
        return call

    return make


@pytest.fixture
def make_asset(asset_index):
    """Creates a published asset; keyword arguments override the defaults."""

    def make(publish=True, sectors=(), **fields):
        values = {
            "title": "Home-care service blueprint",
            "summary": "A service blueprint of requesting and receiving home care, tested in two districts.",
            "form": "service_blueprint",
            "licence": "CC-BY-4.0",
            "languages": ["en", "es"],
        }
        values.update(fields)
        asset = asset_index.add_child(instance=AssetPage(**values))
        if sectors:
            asset.sectors.set(Sector.objects.filter(slug__in=sectors))
        revision = asset.save_revision()
        if publish:
            revision.publish()
        elif asset.live:
            asset.unpublish()
        asset.refresh_from_db()
        return asset

    return make
