"""Reusable service assets: guides, templates, blueprints, software and datasets."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from ..blocks import InterlinkStreamBlock
from ..choices import (
    CONTENT_LANGUAGES,
    LICENCE_CHOICES,
    LICENCES,
    AdministrativeScope,
    AssetForm,
    Difficulty,
    Maturity,
    ParticipantType,
)
from ..fields import HttpsURLField, MultipleChoiceListField
from ..serializers import (
    AssetImageSerializer,
    DocumentSerializer,
    LicenceSerializer,
    PageLinkSerializer,
    TaxonomySerializer,
)
from .base import InterlinkPage, live_public_among, page_link
from .calls import CallPage
from .listing import FilteredIndexPage


class AssetPage(InterlinkPage):
    """A reusable service asset, under an ``AssetIndexPage``.

    Its licence (an SPDX id) says whether and how another administration may reuse it;
    ``publisher`` and ``source_url`` record where it comes from. Documents and images
    are attached through ``AssetDocument`` and ``AssetImage``; ``related_calls`` links
    the co-production calls it serves or came from.
    """

    page_ptr = page_link()

    body = StreamField(InterlinkStreamBlock(), blank=True, verbose_name=_("body"))
    form = models.CharField(_("form"), max_length=40, choices=AssetForm.choices)
    licence = models.CharField(
        _("licence"), max_length=64, choices=LICENCE_CHOICES, default="CC-BY-4.0"
    )
    languages = MultipleChoiceListField(_("languages"), choices_list=CONTENT_LANGUAGES)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    target_users = MultipleChoiceListField(_("target users"), choices_list=ParticipantType.choices)
    administrative_scope = models.CharField(
        _("administrative scope"),
        max_length=10,
        choices=AdministrativeScope.choices,
        default=AdministrativeScope.LOCAL,
    )
    version = models.CharField(_("version"), max_length=30, default="1.0")
    maturity = models.CharField(
        _("maturity"), max_length=10, choices=Maturity.choices, default=Maturity.PILOT
    )
    sectors = ParentalManyToManyField(
        "interlink_blocks.Sector", blank=True, related_name="assets", verbose_name=_("sectors")
    )
    related_calls = ParentalManyToManyField(
        "interlink_blocks.CallPage",
        blank=True,
        related_name="related_assets",
        verbose_name=_("related calls"),
    )
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("The administration or organisation that produced it."),
    )
    source_url = HttpsURLField(
        _("source"), blank=True, help_text=_("Where the original is published, if elsewhere.")
    )

    content_panels = [
        *InterlinkPage.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("form"), FieldPanel("licence")]),
                FieldRowPanel([FieldPanel("version"), FieldPanel("maturity")]),
                FieldRowPanel([FieldPanel("difficulty"), FieldPanel("administrative_scope")]),
                FieldPanel("languages"),
                FieldPanel("target_users"),
            ],
            heading=_("About this asset"),
        ),
        FieldPanel("body"),
        InlinePanel("documents", label=_("Documents")),
        InlinePanel("images", label=_("Images")),
        MultiFieldPanel(
            [
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_calls"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [FieldPanel("publisher"), FieldPanel("source_url")], heading=_("Provenance")
        ),
    ]

    search_fields = [
        *InterlinkPage.search_fields,
        index.SearchField("body"),
        index.SearchField("publisher"),
        index.FilterField("form"),
        index.FilterField("licence"),
        index.FilterField("administrative_scope"),
        index.RelatedFields("sectors", [index.SearchField("name"), index.FilterField("slug")]),
    ]

    parent_page_types = ["interlink_blocks.AssetIndexPage"]
    subpage_types: list[str] = []

    api_fields = [
        APIField("uuid"),
        APIField("summary"),
        APIField("form"),
        APIField("licence", serializer=LicenceSerializer()),
        APIField("languages"),
        APIField("difficulty"),
        APIField("target_users"),
        APIField("administrative_scope"),
        APIField("version"),
        APIField("maturity"),
        APIField("sectors", serializer=TaxonomySerializer(many=True)),
        APIField("publisher"),
        APIField("source_url"),
        APIField("body"),
        APIField("attachments", serializer=DocumentSerializer(many=True)),
        APIField("images", serializer=AssetImageSerializer(many=True)),
        APIField(
            "related_calls", serializer=PageLinkSerializer(many=True, source="live_related_calls")
        ),
    ]

    template = "interlink_blocks/pages/asset_page.html"

    class Meta:
        verbose_name = _("reusable service asset")
        verbose_name_plural = _("reusable service assets")

    @property
    def licence_info(self):
        return LICENCES.get(self.licence)

    @property
    def live_related_calls(self):
        """The related calls a visitor may open (also in previews and revisions)."""
        return live_public_among(CallPage, self.related_calls)

    @property
    def attachments(self):
        return [item.document for item in self.documents.select_related("document")]

    @property
    def language_labels(self) -> list[str]:
        return self._meta.get_field("languages").labels(self.languages)

    @property
    def target_user_labels(self) -> list[str]:
        return self._meta.get_field("target_users").labels(self.target_users)


class AssetDocument(Orderable):
    """A downloadable file of an asset (a Wagtail document)."""

    page = ParentalKey(AssetPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )

    panels = [FieldPanel("document")]


class AssetImage(Orderable):
    """An image of an asset (a Wagtail image), with alt text for screen readers."""

    page = ParentalKey(AssetPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class AssetIndexPage(FilteredIndexPage):
    """Lists reusable service assets, filterable by form, licence, sector and scope."""

    page_ptr = page_link()

    child_model = AssetPage
    subpage_types = ["interlink_blocks.AssetPage"]
    template = "interlink_blocks/pages/asset_index_page.html"

    class Meta:
        verbose_name = _("reusable asset index")

    def get_filterset_class(self):
        from ..filters import AssetFilterSet

        return AssetFilterSet

    def get_children_queryset(self):
        return super().get_children_queryset().order_by("title")
