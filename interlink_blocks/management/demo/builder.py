"""Build the Valmora demo: create whatever is missing, leave whatever exists untouched.

Pages are found by slug under their parent, documents and images by title, the
superuser by username; nothing that already exists is edited, so a second run
changes nothing and duplicates nothing.
"""

import datetime
import io
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from ...models import (
    AssetDocument,
    AssetImage,
    AssetIndexPage,
    AssetPage,
    CallIndexPage,
    CallPage,
    GovernanceModel,
    InformationPage,
    LifeEvent,
    MunicipalityHomePage,
    Sector,
    StoryIndexPage,
    StoryPage,
)
from . import blocks, pages, pictures
from .assets import ASSETS, PUBLISHER
from .calls import CALLS, OFFICE_EMAIL, OFFICE_PHONE
from .translate import translate_demo

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-interlink"  # noqa: S105 - the documented demo login


class DemoBuilder:
    """Creates the demo municipality step by step; ``created`` counts what was new."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.today = timezone.localdate()
        self.created: dict[str, int] = {}
        self.user = None

    def _count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @transaction.atomic
    def build(self) -> dict[str, int]:
        self.user = self.ensure_superuser()
        self.ensure_locales()
        home, home_is_new = self.ensure_page(
            Page.get_first_root_node(), MunicipalityHomePage, pages.HOME["slug"], self.home_page
        )
        self.ensure_site(home)
        self.remove_wagtail_welcome_page(home)
        call_index = self.ensure_index(home, CallIndexPage, "calls")
        asset_index = self.ensure_index(home, AssetIndexPage, "assets")
        story_index = self.ensure_index(home, StoryIndexPage, "stories")
        calls = {
            data["slug"]: self.ensure_page(
                call_index, CallPage, data["slug"], self.call_page, data
            )[0]
            for data in CALLS
        }
        assets = {
            data["slug"]: self.ensure_page(
                asset_index, AssetPage, data["slug"], self.asset_page, data, calls
            )[0]
            for data in ASSETS
        }
        for data in pages.STORIES:
            self.ensure_page(
                story_index, StoryPage, data["slug"], self.story_page, data, calls, assets
            )
        about, _new = self.ensure_page(
            home, InformationPage, "about", self.standard_page, pages.ABOUT
        )
        accessibility, _new = self.ensure_page(
            home, InformationPage, "accessibility", self.standard_page, pages.ACCESSIBILITY
        )
        privacy, _new = self.ensure_page(
            home, InformationPage, "privacy", self.standard_page, pages.PRIVACY
        )
        if home_is_new:
            self.fill_home(home, calls, assets, about)
        self.ensure_brand(accessibility, privacy)
        translated = translate_demo(home, self.user)
        if translated:
            self.created["translations"] = translated
        return self.created

    # Users and site -------------------------------------------------------------------

    def ensure_superuser(self):
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            user = User.objects.create_superuser(
                DEMO_USERNAME, "demo@valmora.example", DEMO_PASSWORD
            )
            self._count("users")
        return user

    def ensure_locales(self) -> None:
        """Every site language as a Wagtail locale, so "Translate" works in the demo."""
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            if Locale.objects.get_or_create(language_code=code)[1]:
                self._count("locales")

    def ensure_site(self, home: Page) -> None:
        parts = urlsplit(self.base_url)
        hostname = parts.hostname or "localhost"
        port = parts.port or (443 if parts.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        wanted = {
            "hostname": hostname,
            "port": port,
            "site_name": pages.SITE_NAME,
            "root_page_id": home.pk,
        }
        if any(getattr(site, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(site, field, value)
            site.save()
            self._count("sites")

    def remove_wagtail_welcome_page(self, home: Page) -> None:
        """Delete the empty "Welcome to Wagtail" page a fresh install starts with."""
        welcome = Page.objects.filter(
            depth=2, slug="home", content_type__model="page", content_type__app_label="wagtailcore"
        ).first()
        if welcome and welcome.pk != home.pk and welcome.numchild == 0:
            if not Site.objects.filter(root_page=welcome).exists():
                welcome.delete()

    def ensure_brand(self, accessibility: Page, privacy: Page) -> None:
        """The footer's statutory pages and contact, set once (an editor's choice stays).

        Through the app registry: the core imports no other Interlink app."""
        if not apps.is_installed("interlink_themes"):
            return
        ThemeSettings = apps.get_model("interlink_themes", "ThemeSettings")
        brand = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
        if not brand.site_name_translations:
            brand.site_name_translations = [
                ("translation", {"language": code, "name": name})
                for code, name in pages.SITE_NAME_TRANSLATED.items()
            ]
            brand.save(update_fields=["site_name_translations"])
            self._count("brand settings")
        if brand.accessibility_page_id or brand.privacy_page_id or brand.contact_email:
            return
        brand.accessibility_page = accessibility
        brand.privacy_page = privacy
        brand.contact_email = OFFICE_EMAIL
        brand.contact_phone = OFFICE_PHONE
        brand.contact_address = pages.TOWN_HALL
        brand.contact_address_translations = [
            ("translation", {"language": code, "address": address})
            for code, address in pages.TOWN_HALL_TRANSLATED.items()
        ]
        brand.save()
        self._count("brand settings")

    # Pages ------------------------------------------------------------------------------

    def ensure_page(self, parent: Page, model, slug: str, factory, *args):
        """The live child of ``parent`` with this slug, created and published when missing."""
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing, False
        page = factory(*args) if args else factory()
        page.slug = slug
        parent.add_child(instance=page)
        page.save_revision(user=self.user, log_action=True).publish(user=self.user)
        page.refresh_from_db()
        self._count("pages")
        return page, True

    def ensure_index(self, home: Page, model, slug: str):
        data = pages.INDEXES[slug]
        page, _new = self.ensure_page(
            home,
            model,
            slug,
            lambda: model(title=data["title"], intro=data["intro"], show_in_menus=True),
        )
        return page

    def home_page(self) -> MunicipalityHomePage:
        return MunicipalityHomePage(title=pages.HOME["title"], intro=pages.HOME["intro"])

    def standard_page(self, data: dict) -> InformationPage:
        return InformationPage(
            title=data["title"],
            intro=data["intro"],
            body=data["body"],
            show_in_menus=data["slug"] == "about",
        )

    def _days(self, offset: int | None) -> datetime.date | None:
        return None if offset is None else self.today + datetime.timedelta(days=offset)

    def call_page(self, data: dict) -> CallPage:
        contact_name, contact_email = data["contact"]
        call = CallPage(
            title=data["title"],
            summary=data["summary"],
            status=data["status"],
            phase=data["phase"],
            opens_at=self._days(data["opens_at"]),
            deadline=self._days(data["deadline"]),
            participant_types=data["participant_types"],
            governance_model=GovernanceModel.objects.get(slug=data["governance"]),
            place=data["place"],
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=OFFICE_PHONE,
            how_to_contribute=data["how_to_contribute"],
            body=data["body"],
            coproduction_schema=blocks.schema_in_progress(
                data["phase"], self._days(data["started"]), completed=data.get("completed", False)
            ),
        )
        call.sectors = list(Sector.objects.filter(slug__in=data["sectors"]))
        call.life_events = list(LifeEvent.objects.filter(slug__in=data["life_events"]))
        return call

    def asset_page(self, data: dict, calls: dict) -> AssetPage:
        asset = AssetPage(
            title=data["title"],
            summary=data["summary"],
            form=data["form"],
            licence=data["licence"],
            languages=data["languages"],
            difficulty=data["difficulty"],
            target_users=data["target_users"],
            administrative_scope=data["administrative_scope"],
            version=data["version"],
            maturity=data["maturity"],
            publisher=PUBLISHER,
            source_url=data.get("source_url", ""),
            body=data["body"],
        )
        asset.sectors = list(Sector.objects.filter(slug__in=data["sectors"]))
        asset.related_calls = [calls[slug] for slug in data["calls"]]
        asset.documents = [
            AssetDocument(document=self.ensure_document(name, title, content))
            for name, title, content in data["documents"]
        ]
        if data["slug"] in pictures.PICTURES:
            draw, alt_text = pictures.PICTURES[data["slug"]]
            image = self.ensure_image(f"{data['title']} (illustration)", draw, data["slug"])
            asset.images = [AssetImage(image=image, alt_text=alt_text, caption=pictures.CREDIT)]
        return asset

    def story_page(self, data: dict, calls: dict, assets: dict) -> StoryPage:
        story = StoryPage(
            title=data["title"],
            summary=data["summary"],
            call=calls[data["call"]],
            results=data["results"],
        )
        story.produced_assets = [assets[slug] for slug in data["assets"]]
        return story

    def fill_home(self, home: MunicipalityHomePage, calls: dict, assets: dict, about: Page) -> None:
        """The home page's blocks point at calls and assets, so they are added last."""
        home.body = [
            blocks.heading("Open calls"),
            *[blocks.call_teaser(call.pk) for call in calls.values() if call.status == "open"],
            blocks.heading("Where the home-care redesign stands"),
            blocks.phase_timeline(calls["home-care-requests"].pk),
            blocks.heading("Recently shared assets"),
            blocks.asset_card(assets["stakeholder-mapping-canvas"].pk),
            blocks.asset_card(assets["library-study-space-occupancy"].pk),
            blocks.call_to_action(
                "New to co-production?",
                "Read how calls work and who can take part.",
                "How it works",
                page_id=about.pk,
            ),
        ]
        home.save_revision(user=self.user).publish(user=self.user)

    # Files --------------------------------------------------------------------------------

    def ensure_document(self, name: str, title: str, content: str):
        Document = get_document_model()
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title, uploaded_by_user=self.user)
            document.file.save(name, ContentFile(content.encode()), save=False)
            document.save()
            self._count("documents")
        return document

    def ensure_image(self, title: str, draw, name: str):
        Image = get_image_model()
        image = Image.objects.filter(title=title).first()
        if image is None:
            picture = ImageFile(io.BytesIO(draw()), name=f"{name}.png")
            image = Image(title=title, uploaded_by_user=self.user, file=picture)
            image.save()
            self._count("images")
        return image
