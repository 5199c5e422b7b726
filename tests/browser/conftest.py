"""Shared browser-test infrastructure: a live server over a seeded site tree, headless
Chromium driven by Playwright, and an axe-core helper.

Use in a test module::

    pytestmark = pytest.mark.browser

    def test_something(seeded_site, page, axe):
        page.goto(seeded_site.url("/calls/"))
        assert axe(page) == []

Chromium is Debian's (``/usr/bin/chromium``); axe-core comes from ``node_modules`` (``npm ci``).
``python scripts/test_setup.py`` installs both. Nothing is fetched while the tests run.

The live server shares the test database, so these tests are transactional. Wagtail's
migrations create the root page, default site, locale and root collection, which the flush
after every transactional test removes; ``wagtail_base`` recreates them when missing.
"""

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("INTERLINK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    """Ensures one headless Chromium serves the whole session (pages are cheap, launches are not)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python scripts/test_setup.py` first.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which makes Django refuse
    # database access from the test ("async-unsafe"). The test code is synchronous and the
    # loop never touches the ORM, so the guard is safe to lift for the browser session.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(browser):
    """Ensures each test gets a fresh context (cookies, storage) with JavaScript on."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A Playwright page in a fresh context."""
    return browser_context.new_page()


@pytest.fixture
def axe_page(browser_context):
    """A page whose documents all load axe-core as they open, for tests that check many pages.

    Sending axe (half a megabyte) into each document took as long as running it; loaded by
    the context it costs only its parsing.
    """
    require_axe()
    browser_context.add_init_script(path=str(AXE_JS))
    return browser_context.new_page()


@pytest.fixture
def nojs_page(browser):
    """A Playwright page with JavaScript disabled, to prove pages work without it."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


RUN_AXE_JS = """async ([ctx, options]) => typeof window.axe === 'undefined'
    ? null : (await axe.run(ctx || document, options)).violations"""


def require_axe() -> None:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (or `python scripts/test_setup.py`).")


def axe_options(tags=WCAG_TAGS) -> dict:
    """``axe.run`` options: these tags' rules, violations only."""
    return {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}


def run_axe(page, *, tags=WCAG_TAGS, context=None) -> list[dict]:
    """Runs axe-core on the page's current document; returns its violations (WCAG 2.1 A/AA).

    axe is injected into the document unless it is there already (``axe_page`` loads it
    into every document; a second check of the same document reuses it).
    """
    options = axe_options(tags)
    violations = page.evaluate(RUN_AXE_JS, [context, options])
    if violations is None:
        require_axe()
        # Evaluated, not added as an inline <script>: the pages' Content-Security-Policy
        # refuses inline scripts (as it should), and evaluation from the driver is not one.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        violations = page.evaluate(RUN_AXE_JS, [context, options])
    return violations


def format_violations(violations: list[dict]) -> str:
    """A readable summary for assertion messages: rule, impact, first targets."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
        for node in violation["nodes"][:1]:
            lines.append(f"    {node.get('failureSummary', '')}".replace("\n", " "))
    return "\n".join(lines)


@pytest.fixture
def axe():
    """Returns a callable ``axe(page) -> violations`` for WCAG 2.1 A/AA."""
    return run_axe


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig) -> Path:
    """This run's screenshot folder, ``test-output/screenshots/<run id>/`` (see ``screenshots``)."""
    from .screenshots import screenshot_dir as folder

    return folder(pytestconfig)


@pytest.fixture
def screenshot(screenshot_dir):
    """Returns ``screenshot(page, name, full_page=True, type="png", **options)``: saves a
    screenshot (``type="jpeg", quality=80`` is quicker) and returns its path."""

    def take(page, name: str, full_page: bool = True, type: str = "png", **options) -> Path:
        path = screenshot_dir / f"{name}.{'jpg' if type == 'jpeg' else type}"
        screenshot_dir.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page, type=type, **options)
        return path

    return take


@dataclass
class SeededSite:
    """The live server's URL and the pages seeded into it."""

    base_url: str
    home: object
    call_index: object
    asset_index: object
    story_index: object
    call: object
    closed_call: object
    asset: object
    story: object
    extra: dict = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


@pytest.fixture
def seeded_site(
    wagtail_base,
    live_server,
    home,
    call_index,
    asset_index,
    story_index,
    make_call,
    make_asset,
):
    """Ensures the live server serves a site with a call, an asset, a story and index pages."""
    from django.core.cache import cache

    from interlink_blocks.models import StoryPage

    # Rate limits and cached settings live in the cache; each test starts from a clean one.
    cache.clear()

    for index in (call_index, asset_index, story_index):
        index.show_in_menus = True
        index.save_revision().publish()

    call = make_call(
        how_to_contribute="<p>Tell us about your experience of asking for home care.</p>",
        contact_name="Participation office",
        contact_email="participation@example.org",
    )
    closed_call = make_call(
        title="Rethink the library opening hours",
        slug="library-hours",
        status="closed",
        deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    asset = make_asset()
    # A story tells how a completed call turned out.
    completed_call = make_call(
        title="Redesign the home-care request form",
        slug="home-care-form",
        status="completed",
        phase="sustain",
        deadline=timezone.localdate() - datetime.timedelta(days=90),
        opens_at=timezone.localdate() - datetime.timedelta(days=150),
    )
    story = story_index.add_child(
        instance=StoryPage(
            title="How residents redesigned the home-care request",
            summary="Forty residents and three care providers co-designed a one-page request.",
            call=completed_call,
        )
    )
    story.save_revision().publish()
    return SeededSite(
        base_url=live_server.url,
        home=home,
        call_index=call_index,
        asset_index=asset_index,
        story_index=story_index,
        call=call,
        closed_call=closed_call,
        asset=asset,
        story=story,
        extra={"remote_item": seed_remote_item()},
    )


def seed_remote_item():
    """A call received from another municipality, written in Italian, for the federated pages."""
    from interlink_federation.models import RemoteActor, RemoteObject

    actor = RemoteActor.objects.create(
        uri="https://comune.example.it/ap/actor",
        domain="comune.example.it",
        username="comune",
        name="Comune di Esempio",
        url="https://comune.example.it/",
        inbox="https://comune.example.it/ap/inbox",
    )
    return RemoteObject.objects.create(
        uri="https://comune.example.it/ap/objects/1",
        actor=actor,
        kind="call",
        ap_type="Page",
        name="Ripensare il servizio di assistenza domiciliare",
        summary="Aiutaci a semplificare la richiesta di assistenza domiciliare.",
        content_html="<p>Raccontaci la tua esperienza.</p>",
        url="https://comune.example.it/bandi/assistenza/",
        language="it",
        published=timezone.now(),
    )


def seed_contributions(call) -> dict:
    """An approved idea with an official answer and an approved anonymous reply, on ``call``."""
    from interlink_blocks.participation.models import ContributionState, Participant
    from interlink_blocks.participation.services import contributions as contribution_service

    participant = Participant.objects.for_email("ana@example.org")
    participant.confirm()
    idea = contribution_service.create_contribution(
        call,
        "Let families send the request by phone. See https://example.org/plan",
        participant=participant,
        author_name="Ana",
    )
    contribution_service.set_state(idea, ContributionState.APPROVED)
    idea.answer_status = "under_study"
    idea.answer_text = "We are costing a phone line."
    idea.save()
    reply = contribution_service.create_contribution(
        call, "Yes, please.", kind="comment", parent=idea, anonymous=True
    )
    contribution_service.set_state(reply, ContributionState.APPROVED)
    return {"participant": participant, "idea": idea, "reply": reply}


def library_body(call, asset, image) -> list[tuple[str, object]]:
    """One block of every kind in the library: the blocks' preview values, except that
    blocks showing a call, an asset or an image show real ones (previews use stand-ins)."""
    from interlink_blocks.blocks import InterlinkStreamBlock

    image.contextual_alt_text, image.decorative = image.title, False
    chosen = {
        "call_teaser": {"call": call, "heading": ""},
        "asset_card": {"asset": asset},
        "phase_timeline": {"call": call},
        "image": {"image": image, "caption": "The spring workshop"},
    }
    return [
        (name, block.normalize(chosen[name]) if name in chosen else block.get_preview_value())
        for name, block in InterlinkStreamBlock().child_blocks.items()
    ]


@pytest.fixture
def block_pages(seeded_site, settings, tmp_path):
    """Ensures the home page and an information page show every block of the library.

    Linked calls and assets are the seeded ones, so on a translated page they are content
    in another language; the image is a small generated one, served by ``tests.browser.urls``.
    """
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from interlink_blocks.models import InformationPage, MunicipalityHomePage

    settings.MEDIA_ROOT = tmp_path
    image = get_image_model().objects.create(
        title="Residents around a table at the spring workshop",
        file=get_test_image_file(colour="#336699", size=(320, 200)),
    )
    body = library_body(seeded_site.call, seeded_site.asset, image)
    home = MunicipalityHomePage.objects.get(pk=seeded_site.home.pk)
    home.body = body
    home.save_revision().publish()
    standard = home.add_child(
        instance=InformationPage(
            title="About this service",
            slug="about",
            intro="<p>How the city works with residents on its services.</p>",
            body=body,
        )
    )
    standard.save_revision().publish()
    seeded_site.home = home
    seeded_site.extra["standard"] = standard
    return seeded_site


def pytest_collection_modifyitems(config, items):
    """Marks every test under tests/browser as a browser test, so ``-m "not browser"`` skips them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def translate_page(page, language_code: str):
    """Publishes a copy of ``page`` (and any missing ancestors) for ``language_code``."""
    from wagtail.models import Locale

    locale = Locale.objects.get_or_create(language_code=language_code)[0]
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale, copy_parents=True)
    for ancestor in copy.get_ancestors().filter(depth__gt=1):
        if not ancestor.live:
            ancestor.specific.save_revision().publish()
    copy.specific.save_revision().publish()
    return copy.specific.__class__.objects.get(pk=copy.pk)


@pytest.fixture
def translate():
    """Returns ``translate(page, "es")``: the page's published translation, created if needed."""
    return translate_page


@pytest.fixture
def use_theme():
    """Returns ``use_theme(name, **brand)``: sets the default site's theme and brand settings."""
    from wagtail.models import Site

    from interlink_themes.models import ThemeSettings

    def apply(name: str, **brand):
        settings = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
        settings.theme = name
        for field_name, value in brand.items():
            setattr(settings, field_name, value)
        settings.full_clean()
        settings.save()
        return settings

    return apply
