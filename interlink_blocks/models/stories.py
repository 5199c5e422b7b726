"""Success stories: how a completed call turned out and what it produced."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from ..blocks import InterlinkStreamBlock
from ..choices import CallStatus
from ..serializers import PageLinkSerializer
from .assets import AssetPage
from .base import InterlinkPage, live_public_among, page_link
from .calls import CallPage
from .listing import FilteredIndexPage

CALL_NOT_COMPLETED = _(
    "A story tells how a completed call turned out: choose a call whose status is “completed”."
)


class StoryPageForm(WagtailAdminPageForm):
    """Offers completed calls only (and the one already linked, so that it is not lost)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        field.queryset = CallPage.objects.filter(
            Q(status=CallStatus.COMPLETED) | Q(pk=self.instance.call_id)
        ).order_by("title")
        field.error_messages["invalid_choice"] = CALL_NOT_COMPLETED


class StoryPage(InterlinkPage):
    """A success story under a ``StoryIndexPage``: a completed call, its results, its assets."""

    page_ptr = page_link()

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
            [FieldPanel("call", widget=forms.Select), FieldPanel("produced_assets")],
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
        APIField("call", serializer=PageLinkSerializer(source="live_call", allow_null=True)),
        APIField("results"),
        APIField(
            "produced_assets",
            serializer=PageLinkSerializer(many=True, source="live_produced_assets"),
        ),
    ]

    template = "interlink_blocks/pages/story_page.html"
    base_form_class = StoryPageForm

    class Meta:
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")

    def clean(self):
        super().clean()
        if self.call_id is not None and self.call.status != CallStatus.COMPLETED:
            raise ValidationError({"call": CALL_NOT_COMPLETED})

    @property
    def live_call(self):
        """The call it came from, if a visitor may open it (``None`` otherwise)."""
        if self.call_id is None:
            return None
        return CallPage.objects.live().public().filter(pk=self.call_id).first()

    @property
    def live_produced_assets(self):
        """The produced assets a visitor may open (also in previews and revisions)."""
        return live_public_among(AssetPage, self.produced_assets)


class StoryIndexPage(FilteredIndexPage):
    """Lists success stories, newest first, filterable by sector, life event and year."""

    page_ptr = page_link()

    child_model = StoryPage
    subpage_types = ["interlink_blocks.StoryPage"]
    template = "interlink_blocks/pages/story_index_page.html"

    class Meta:
        verbose_name = _("success story index")

    def get_filterset_class(self):
        from ..filters import StoryFilterSet

        return StoryFilterSet

    def get_children_queryset(self):
        return super().get_children_queryset().order_by("-first_published_at")
