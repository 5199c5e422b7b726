"""Success stories: how a completed call turned out and what it produced."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from ..blocks import InterlinkStreamBlock
from .base import InterlinkPage
from .listing import FilteredIndexPage


class StoryPage(InterlinkPage):
    """A success story under a ``StoryIndexPage``, linking a call to its results and assets."""

    call = models.ForeignKey(
        "interlink_blocks.CallPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name=_("co-production call"),
    )
    results = StreamField(InterlinkStreamBlock(), blank=True, verbose_name=_("results"))
    produced_assets = ParentalManyToManyField(
        "interlink_blocks.AssetPage",
        blank=True,
        related_name="stories",
        verbose_name=_("assets it produced"),
    )

    content_panels = [
        *InterlinkPage.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("call"), FieldPanel("produced_assets")],
            heading=_("What it came from and produced"),
        ),
        FieldPanel("results"),
    ]

    search_fields = [*InterlinkPage.search_fields, index.SearchField("results")]

    parent_page_types = ["interlink_blocks.StoryIndexPage"]
    subpage_types: list[str] = []

    api_fields = [
        APIField("uuid"),
        APIField("summary"),
        APIField("call"),
        APIField("results"),
        APIField("produced_assets"),
    ]

    template = "interlink_blocks/pages/story_page.html"

    class Meta:
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")


class StoryIndexPage(FilteredIndexPage):
    """Lists success stories, newest first."""

    child_model = StoryPage
    subpage_types = ["interlink_blocks.StoryPage"]
    template = "interlink_blocks/pages/story_index_page.html"

    class Meta:
        verbose_name = _("success story index")

    def get_children_queryset(self):
        return super().get_children_queryset().order_by("-first_published_at")
