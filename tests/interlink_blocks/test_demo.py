"""The demo municipality loaded by ``manage.py load_demo``."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, Site

from interlink_blocks.choices import AssetForm, CallStatus, Phase
from interlink_blocks.models import (
    AssetIndexPage,
    AssetPage,
    CallIndexPage,
    CallPage,
    InformationPage,
    MunicipalityHomePage,
    StoryIndexPage,
    StoryPage,
)

# The demo loads once per module: keep its tests on one xdist worker.
pytestmark = pytest.mark.xdist_group("demo")

# The demo's pages in English (some are translated into Spanish, Italian and Latvian too).
ENGLISH = {"locale__language_code": "en"}

E_COOP_SECTORS = {
    "social-health-care",
    "housing-building",
    "employment",
    "education",
    "democracy-participation",
}


@pytest.fixture(scope="module")
def demo_media(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loads the demo once for the module, inside a transaction rolled back at its end.

    Loading takes seconds; each test then runs in a savepoint of this transaction (the
    ``db`` fixture), so a test that writes leaves nothing for the next.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            call_command("load_demo", "--base-url", "http://127.0.0.1:8123", stdout=_Sink())
            yield media
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_media, db, settings):
    settings.MEDIA_ROOT = demo_media
    return Site.objects.get(is_default_site=True)


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _snapshot():
    return {
        "pages": sorted(
            Page.objects.values_list("pk", "slug", "path", "latest_revision_id", "live")
        ),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "documents": sorted(get_document_model().objects.values_list("pk", "file")),
        "images": sorted(get_image_model().objects.values_list("pk", "file")),
        "users": sorted(get_user_model().objects.values_list("pk", "username", "password")),
        "sites": sorted(Site.objects.values_list("pk", "hostname", "port", "root_page_id")),
    }


def test_demo_makes_a_home_page_the_default_site_root(demo):
    """Ensures that the demo's MunicipalityHomePage is the default site's root, on --base-url's host and port."""
    assert isinstance(demo.root_page.specific, MunicipalityHomePage)
    assert (demo.hostname, demo.port) == ("127.0.0.1", 8123)
    assert demo.site_name == "City of Valmora"
    # Wagtail's empty welcome page is gone; only the demo's home (and its translations)
    # sit under the root.
    assert {page.specific_class for page in Page.get_first_root_node().get_children()} == {
        MunicipalityHomePage
    }
    in_menu = {page.specific_class for page in demo.root_page.get_children().in_menu()}
    assert {CallIndexPage, AssetIndexPage, StoryIndexPage} <= in_menu


def test_demo_covers_every_sector_phase_status_form_and_several_licences(demo):
    """Ensures that the demo has ≥6 calls over all E-COOP sectors, phases and statuses, and ≥10 assets."""
    calls = CallPage.objects.live().filter(**ENGLISH)
    assert calls.count() >= 6
    assert {call.status for call in calls} == set(CallStatus.values)
    assert {call.phase for call in calls} == set(Phase.values)
    sectors = {sector.slug for call in calls for sector in call.sectors.all()}
    assert E_COOP_SECTORS <= sectors
    assets = AssetPage.objects.live().filter(**ENGLISH)
    assert assets.count() >= 10
    assert {asset.form for asset in assets} == set(AssetForm.values)
    assert len({asset.licence for asset in assets}) >= 5
    with_documents = [asset for asset in assets if asset.documents.exists()]
    assert len(with_documents) >= 3
    for item in with_documents[0].documents.all():
        assert item.document.file.read()  # the generated file really exists


def test_demo_stories_link_completed_calls_to_assets(demo):
    """Ensures that the demo's two success stories each link a completed call to produced assets."""
    stories = StoryPage.objects.live().filter(**ENGLISH)
    assert stories.count() == 2
    for story in stories:
        assert story.call.status == CallStatus.COMPLETED
        assert story.produced_assets.exists()


def test_demo_has_about_and_accessibility_pages_built_from_blocks(demo):
    """Ensures that the About and Accessibility statement pages exist and use the block library."""
    pages = {page.slug: page for page in InformationPage.objects.live().filter(**ENGLISH)}
    assert {"about", "accessibility"} <= set(pages)
    assert {block.block_type for block in pages["about"].body} >= {"heading", "faq", "contact"}
    home = MunicipalityHomePage.objects.get(**ENGLISH)
    assert {block.block_type for block in home.body} >= {
        "call_teaser",
        "asset_card",
        "phase_timeline",
        "call_to_action",
    }


def test_demo_creates_a_locale_per_site_language(demo):
    """Ensures that the demo has es, it and lv locales, so editors can use "Translate" at once."""
    from wagtail.models import Locale

    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"en", "es", "it", "lv"} <= codes


def test_demo_superuser_can_log_in(demo, client):
    """Ensures that the demo login demo / demo-interlink opens the Wagtail admin."""
    # Through the sign-in form: sign-in throttling (django-axes) needs the request.
    response = client.post("/admin/login/", {"username": "demo", "password": "demo-interlink"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/admin/").status_code == 200


def test_every_demo_page_renders(demo, client):
    """Ensures that every demo page answers 200 on the demo site's host, with its title."""
    pages = Page.objects.filter(depth__gt=1).live().specific()
    assert pages.count() >= 27
    for page in pages:
        response = client.get(page.url, HTTP_HOST="127.0.0.1:8123")
        assert response.status_code == 200, page.url
        assert page.title.replace("'", "&#x27;") in response.content.decode(), page.url


def test_load_demo_twice_changes_nothing(demo):
    """Ensures that running load_demo again creates, edits and duplicates nothing."""
    before = _snapshot()
    output = _Sink()
    call_command("load_demo", "--base-url", "http://127.0.0.1:8123", stdout=output)
    assert _snapshot() == before
    assert "nothing changed" in output.text


def test_load_demo_refuses_a_base_url_that_is_not_http(db):
    """Ensures that a malformed --base-url is refused with a clear error before anything is written."""
    before = _snapshot()
    with pytest.raises(CommandError, match="--base-url"):
        call_command("load_demo", "--base-url", "ftp://example", stdout=_Sink())
    assert _snapshot() == before


def test_demo_ships_a_running_process_and_a_team_member_login(demo, client):
    """Ensures that the demo's home-care call has a process under way (team, dates, statuses,
    assignments) and that its team member signs in on the public site with the printed login."""
    from django.urls import reverse

    from interlink_blocks.workspace import demo as workspace_demo
    from interlink_blocks.workspace.models import Process, Task

    process = Process.objects.get(call__slug=workspace_demo.DEMO_CALL)
    assert process.memberships.count() == len(workspace_demo.TEAM)
    tasks = Task.objects.filter(process=process)
    assert tasks.filter(status="done").exists() and tasks.filter(status="in_progress").exists()
    assert not tasks.filter(start_date=None).exists()
    assert tasks.filter(assignees__isnull=False).distinct().count() == tasks.count()
    response = client.post(
        reverse("account_login"),
        {
            "login": workspace_demo.DEMO_MEMBER_EMAIL,
            "password": workspace_demo.DEMO_MEMBER_PASSWORD,
        },
    )
    assert response.status_code == 302
    for name in ("overview", "plan", "workplan", "team", "activity"):
        url = reverse(f"interlink_workspace:{name}", args=[process.pk])
        assert client.get(url).status_code == 200, url
    # A discussion under way, in which the demo member is mentioned.
    from interlink_blocks.workspace.models import Message

    mention = Message.objects.get(
        process=process, mentions__user__email=workspace_demo.DEMO_MEMBER_EMAIL
    )
    thread = reverse("interlink_workspace:discussion", args=[process.pk, mention.task_id])
    html = client.get(thread).content.decode()
    assert (
        "@Lina Ozola could you test" in html
        and Message.objects.filter(task=mention.task).count() >= 2
    )
    out = _Sink()
    call_command("load_demo", "--base-url", "http://127.0.0.1:8123", stdout=out)
    assert (
        workspace_demo.DEMO_MEMBER_EMAIL in out.text
        and workspace_demo.DEMO_MEMBER_PASSWORD in out.text
    )


TRANSLATED = ["es", "it", "lv"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_demo_pages_are_translated(demo, client, code):
    """Ensures that the home page, the indexes, two calls, two assets, a story and the
    about, accessibility and privacy pages are published in Spanish, Italian and Latvian,
    with every text segment translated (only slugs, numbers and telephone numbers kept)."""
    import re

    from wagtail.models import Locale
    from wagtail_localize.models import StringTranslation, TranslationSource

    from interlink_blocks.management.demo.translations import TRANSLATED_PAGES, TRANSLATIONS

    locale = Locale.objects.get(language_code=code)
    home = demo.root_page
    for path in TRANSLATED_PAGES:
        source_page = home if not path else Page.objects.get(url_path=f"{home.url_path}{path}/")
        translated = source_page.get_translation(locale)
        assert translated.live, path
        source = TranslationSource.objects.get_for_instance(source_page)
        untranslated = [
            segment.string.data
            for segment in source.stringsegment_set.select_related("string")
            if not StringTranslation.objects.filter(
                translation_of=segment.string, locale=locale, context=segment.context
            ).exists()
        ]
        kept = [text for text in untranslated if re.search(r"[a-z]{3}", text.replace("-", ""))]
        assert kept in ([], [source_page.slug]), (path, kept)
        html = client.get(translated.url, HTTP_HOST="127.0.0.1:8123").content.decode()
        assert f'<html lang="{code}"' in html, path
        assert TRANSLATIONS[code][source_page.title].replace("'", "&#x27;") in html, path


def test_demo_footer_links_statement_privacy_and_contact(demo, client):
    """Ensures that the demo's footer links the accessibility statement and the privacy
    notice in the visitor's language and shows the contact address translated."""
    html = client.get("/lv/", HTTP_HOST="127.0.0.1:8123").content.decode()
    footer = html[html.index("<footer") :]
    assert '<a href="/lv/accessibility/">Paziņojums par piekļūstamību</a>' in footer
    assert '<a href="/lv/privacy/">Privātuma paziņojums</a>' in footer
    assert "No pirmdienas līdz piektdienai" in footer
    assert "mailto:participation@valmora.example" in footer


def test_untranslated_demo_pages_are_linked_and_marked_in_english(demo, client):
    """Ensures that on the Spanish calls index an untranslated call is listed, links to the
    English page and is marked lang="en"; the translated ones lead to /es/."""
    html = client.get("/es/calls/", HTTP_HOST="127.0.0.1:8123").content.decode()
    assert 'href="/es/calls/home-care-requests/"' in html
    assert 'href="/calls/youth-job-desk/" lang="en"' in html
