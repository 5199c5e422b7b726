"""Pages for a node that runs Interlink as its whole site (host sites keep their own)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import InterlinkStreamBlock
from .base import page_link


class MunicipalityHomePage(Page):
    """The home page of an Interlink node: an introduction and any Interlink blocks."""

    page_ptr = page_link()

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(InterlinkStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    template = "interlink_blocks/pages/home_page.html"

    class Meta:
        verbose_name = _("municipality home page")


class InformationPage(Page):
    """A general page (about, privacy, accessibility statement) built from Interlink blocks."""

    page_ptr = page_link()

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(InterlinkStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    template = "interlink_blocks/pages/standard_page.html"

    class Meta:
        verbose_name = _("information page")
