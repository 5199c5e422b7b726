"""Co-production calls: invitations to help design, build or run a public service."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from ..blocks import CoproductionSchemaBlock, InterlinkStreamBlock, default_schema
from ..choices import CallStatus, ParticipantType, Phase, TaskStatus
from ..fields import MultipleChoiceListField
from ..serializers import RichTextHTMLField, TaxonomySerializer
from .base import InterlinkPage, page_link
from .fragments import generation_expression
from .listing import FilteredIndexPage

PLAN_NOT_EMPTY = _(
    "The plan below already has phases: INTERLINK's default plan only fills an empty plan. "
    "Untick this, or remove the phases first."
)


class CallPageForm(WagtailAdminPageForm):
    """Offers INTERLINK's default plan as a choice instead of pre-filling it: the default is
    four phases of some forty objectives and tasks, a long form to publish unchanged by
    mistake. Ticked, it fills an empty plan on save; the box is offered while the plan is
    empty."""

    start_from_default_plan = forms.BooleanField(
        label=_("Start from INTERLINK's default plan"),
        required=False,
        help_text=_(
            "Fills the plan with INTERLINK's four phases and their suggested objectives "
            "and tasks, to adapt after saving. Leave it unticked to write your own plan, "
            "or none."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.coproduction_schema:
            del self.fields["start_from_default_plan"]  # hides its panel too

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_from_default_plan"):
            if cleaned.get("coproduction_schema"):
                self.add_error("start_from_default_plan", PLAN_NOT_EMPTY)
            else:
                block = self.fields["coproduction_schema"].block
                cleaned["coproduction_schema"] = block.to_python(default_schema())
        return cleaned


class CallPage(InterlinkPage):
    """A co-production call, under a ``CallIndexPage``.

    It names who may take part and how, which phase of the INTERLINK schema it is in,
    its sectors, life events and governance model (snippets), and its plan as a
    co-production schema. Assets link to the calls that produced them and stories
    tell how a completed call turned out.
    """

    page_ptr = page_link()

    body = StreamField(InterlinkStreamBlock(), blank=True, verbose_name=_("body"))
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT_IDEA
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.ENGAGE)
    opens_at = models.DateField(_("opening date"), null=True, blank=True)
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("Last day for contributions. After it, the call stops accepting them."),
    )
    participant_types = MultipleChoiceListField(
        _("who may take part"),
        choices_list=ParticipantType.choices,
    )
    governance_model = models.ForeignKey(
        "interlink_blocks.GovernanceModel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("governance model"),
    )
    sectors = ParentalManyToManyField(
        "interlink_blocks.Sector", blank=True, related_name="calls", verbose_name=_("sectors")
    )
    life_events = ParentalManyToManyField(
        "interlink_blocks.LifeEvent",
        blank=True,
        related_name="calls",
        verbose_name=_("life events"),
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where the service is, e.g. a district or the whole city."),
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    how_to_contribute = RichTextField(
        _("how to contribute"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    # Empty for a new call: the editor chooses INTERLINK's default (CallPageForm) or
    # writes their own plan.
    coproduction_schema = StreamField(
        CoproductionSchemaBlock(), blank=True, verbose_name=_("co-production schema")
    )

    content_panels = [
        *InterlinkPage.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("phase")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("deadline")]),
            ],
            heading=_("Status and dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("participant_types"),
                FieldPanel("how_to_contribute"),
            ],
            heading=_("Taking part"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("start_from_default_plan"), FieldPanel("coproduction_schema")],
            heading=_("Co-production plan"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("life_events", widget=forms.CheckboxSelectMultiple),
                FieldPanel("governance_model"),
                FieldPanel("place"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading=_("Contact"),
        ),
    ]

    search_fields = [
        *InterlinkPage.search_fields,
        index.SearchField("body"),
        index.SearchField("place"),
        index.FilterField("status"),
        index.FilterField("phase"),
        index.FilterField("deadline"),
        index.RelatedFields("sectors", [index.SearchField("name"), index.FilterField("slug")]),
    ]

    parent_page_types = ["interlink_blocks.CallIndexPage"]
    subpage_types: list[str] = []

    api_fields = [
        APIField("uuid"),
        APIField("summary"),
        APIField("status"),
        APIField("phase"),
        APIField("opens_at"),
        APIField("deadline"),
        APIField("participant_types"),
        APIField("governance_model", serializer=TaxonomySerializer()),
        APIField("sectors", serializer=TaxonomySerializer(many=True)),
        APIField("life_events", serializer=TaxonomySerializer(many=True)),
        APIField("place"),
        APIField("contact_name"),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("how_to_contribute", serializer=RichTextHTMLField()),
        APIField("body"),
        APIField("coproduction_schema"),
        APIField("accepts_contributions"),
    ]

    template = "interlink_blocks/pages/call_page.html"
    base_form_class = CallPageForm

    class Meta:
        verbose_name = _("co-production call")
        verbose_name_plural = _("co-production calls")

    def clean(self):
        super().clean()
        if self.opens_at and self.deadline and self.deadline <= self.opens_at:
            raise ValidationError({"deadline": _("The deadline must come after the opening date.")})
        if self.status == CallStatus.OPEN and not self.participant_types:
            raise ValidationError(
                {"participant_types": _("An open call must say who may take part.")}
            )

    @property
    def is_past_deadline(self) -> bool:
        return bool(self.deadline and timezone.localdate() > self.deadline)

    @property
    def has_opened(self) -> bool:
        return not self.opens_at or timezone.localdate() >= self.opens_at

    @property
    def accepts_contributions(self) -> bool:
        """Open, already opened and not past its deadline: closing is automatic."""
        return self.status == CallStatus.OPEN and self.has_opened and not self.is_past_deadline

    @property
    def live_related_assets(self):
        """Published, public assets linked to this call, as plain pages (title and URL only).

        Listing needs no asset fields, so the query skips the AssetPage join; it is the
        call page's most expensive query otherwise. Empty while an unsaved call is previewed.
        """
        from wagtail.models import Page, PageViewRestriction

        from .assets import AssetPage

        if self.pk is None:
            return Page.objects.none()
        # Assets linked to any translation of this call: a translated asset keeps linking
        # the call it was copied from (the template then swaps in the reader's translation).
        linked = AssetPage.related_calls.through.objects.filter(
            callpage__translation_key=self.translation_key
        )
        # Wagtail's .public() first loads every view restriction (one more query); the
        # same rule as a subquery: no restriction on the page or any of its ancestors.
        restricted = PageViewRestriction.objects.filter(
            StartsWith(models.OuterRef("path"), models.F("page__path"))
        )
        return (
            Page.objects.live()
            .filter(pk__in=linked.values("assetpage_id"))
            .exclude(models.Exists(restricted))
            .order_by("title")
            .only(
                "id", "title", "path", "depth", "url_path", "locale_id", "live", "translation_key"
            )
        )

    @property
    def participant_type_labels(self) -> list[str]:
        return self._meta.get_field("participant_types").labels(self.participant_types)

    @cached_property
    def schema_phases(self) -> list[dict]:
        """The schema's phases with a marker for the current one, for the timeline."""
        order = [value for value, _label in Phase.choices]
        current = order.index(self.phase) if self.phase in order else -1
        phases = []
        for block in self.coproduction_schema:
            value = block.value
            position = order.index(value["phase"]) if value["phase"] in order else -1
            phases.append(
                {
                    "phase": value["phase"],
                    "label": Phase(value["phase"]).label
                    if value["phase"] in order
                    else value["phase"],
                    "objectives": [
                        {
                            "title": objective["title"],
                            "description": objective["description"],
                            "tasks": [
                                {
                                    **task,
                                    "status_label": TaskStatus(task["status"]).label
                                    if task["status"] in TaskStatus.values
                                    else task["status"],
                                }
                                for task in objective["tasks"]
                            ],
                        }
                        for objective in value["objectives"]
                    ],
                    "state": "current"
                    if position == current
                    else ("done" if position < current else "upcoming"),
                }
            )
        return phases


class CallIndexPage(FilteredIndexPage):
    """Lists co-production calls, filterable by status, phase, sector and who may take part."""

    page_ptr = page_link()

    child_model = CallPage
    subpage_types = ["interlink_blocks.CallPage"]
    template = "interlink_blocks/pages/call_index_page.html"

    class Meta:
        verbose_name = _("co-production call index")

    def route(self, request, path_components):
        """A call in one query, with the fragment generation read along with it.

        Wagtail's default routing needs two queries for a child (the page, then its
        specific row); children of a call index are calls, so their row is read at once.
        Anything else (another page type, a missing slug) goes the default way.
        """
        if path_components:
            try:
                call = (
                    CallPage.objects.child_of(self)
                    .annotate(fragment_generation=generation_expression())
                    .get(slug=path_components[0])
                )
            except CallPage.DoesNotExist:
                return super().route(request, path_components)
            from .. import fragments

            call._cached_parent_obj = self  # as Wagtail does: no query for the parent
            fragments.remember(request, call.fragment_generation)
            return call.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_filterset_class(self):
        from ..filters import CallFilterSet

        return CallFilterSet

    def get_children_queryset(self):
        return (
            super()
            .get_children_queryset()
            .order_by(models.F("deadline").asc(nulls_last=True), "title")
        )
