"""The DRF read API: calls, assets and stories with filters, described by OpenAPI 3.

Backends, pagination, permissions and schema class are set on the views rather than
in ``REST_FRAMEWORK`` settings, so a host site gets the same API whatever its own
DRF defaults are.
"""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import pagination, permissions, serializers, viewsets

from .filters import AssetFilterSet, CallFilterSet, StoryFilterSet
from .models import AssetPage, CallPage, StoryPage
from .serializers import (
    AssetImageSerializer,
    DocumentSerializer,
    LicenceSerializer,
    PageLinkSerializer,
    RichTextHTMLField,
    TaxonomySerializer,
)


class _PageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The public page.")

    def get_url(self, page) -> str:
        return page.get_full_url(self.context.get("request"))


class CallSerializer(_PageSerializer):
    sectors = TaxonomySerializer(many=True, read_only=True)
    life_events = TaxonomySerializer(many=True, read_only=True)
    governance_model = TaxonomySerializer(read_only=True)
    participant_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    accepts_contributions = serializers.BooleanField(read_only=True)
    how_to_contribute = RichTextHTMLField(help_text="HTML, internal links expanded.")

    class Meta:
        model = CallPage
        fields = [
            "id",
            "uuid",
            "title",
            "url",
            "summary",
            "status",
            "phase",
            "opens_at",
            "deadline",
            "accepts_contributions",
            "participant_types",
            "governance_model",
            "sectors",
            "life_events",
            "place",
            "contact_name",
            "contact_email",
            "contact_phone",
            "how_to_contribute",
            "first_published_at",
            "last_published_at",
        ]


class AssetSerializer(_PageSerializer):
    sectors = TaxonomySerializer(many=True, read_only=True)
    licence = LicenceSerializer(read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_users = serializers.ListField(child=serializers.CharField(), read_only=True)
    attachments = DocumentSerializer(many=True, read_only=True)
    images = AssetImageSerializer(many=True, read_only=True)
    # Live, public calls only (the view prefetches them so).
    related_calls = PageLinkSerializer(many=True, read_only=True)

    class Meta:
        model = AssetPage
        fields = [
            "id",
            "uuid",
            "title",
            "url",
            "summary",
            "form",
            "licence",
            "languages",
            "difficulty",
            "target_users",
            "administrative_scope",
            "version",
            "maturity",
            "sectors",
            "publisher",
            "source_url",
            "attachments",
            "images",
            "related_calls",
            "first_published_at",
            "last_published_at",
        ]


class StorySerializer(_PageSerializer):
    # Live, public pages only (the view prefetches them so); null when the call is not.
    call = PageLinkSerializer(read_only=True, allow_null=True)
    produced_assets = PageLinkSerializer(many=True, read_only=True)

    class Meta:
        model = StoryPage
        fields = [
            "id",
            "uuid",
            "title",
            "url",
            "summary",
            "call",
            "produced_assets",
            "first_published_at",
        ]


class InterlinkPagination(pagination.LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


class _LivePagesViewSet(viewsets.ReadOnlyModelViewSet):
    """Only live, public pages: drafts and private pages never appear."""

    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend]
    pagination_class = InterlinkPagination
    # Public, read-only content: no sessions (so no CSRF) and no login needed.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    schema = AutoSchema()

    def get_queryset(self):
        return self.queryset.live().public().order_by("pk")


class CallViewSet(_LivePagesViewSet):
    """Co-production calls; filter by status, phase, sector, life event and who may take part."""

    queryset = CallPage.objects.select_related("governance_model").prefetch_related(
        "sectors", "life_events"
    )
    serializer_class = CallSerializer
    filterset_class = CallFilterSet


def _live_links(model):
    """Linked pages as the API shows them: live and public only, by title."""
    return model.objects.live().public().order_by("title")


class AssetViewSet(_LivePagesViewSet):
    """Reusable service assets; filter by form, licence, sector and administrative scope."""

    queryset = AssetPage.objects.all()
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "sectors",
                "documents__document",
                "images__image",
                Prefetch("related_calls", queryset=_live_links(CallPage)),
            )
        )


class StoryViewSet(_LivePagesViewSet):
    """Success stories; filter by the sector and life event of their call, and by year."""

    queryset = StoryPage.objects.all()
    serializer_class = StorySerializer
    filterset_class = StoryFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("call", queryset=_live_links(CallPage)),
                Prefetch("produced_assets", queryset=_live_links(AssetPage)),
            )
        )
