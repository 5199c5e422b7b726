"""The DRF read API: calls, assets and stories with filters, described by OpenAPI 3.

Backends, pagination, permissions and schema class are set on the views rather than
in ``REST_FRAMEWORK`` settings, so a host site gets the same API whatever its own
DRF defaults are.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import pagination, permissions, serializers, viewsets

from .filters import AssetFilterSet, CallFilterSet
from .models import AssetPage, CallPage, StoryPage
from .serializers import DocumentSerializer, LicenceSerializer, TaxonomySerializer


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
            "first_published_at",
            "last_published_at",
        ]


class AssetSerializer(_PageSerializer):
    sectors = TaxonomySerializer(many=True, read_only=True)
    licence = LicenceSerializer(read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_users = serializers.ListField(child=serializers.CharField(), read_only=True)
    attachments = DocumentSerializer(many=True, read_only=True)
    related_calls = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

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
            "related_calls",
            "first_published_at",
            "last_published_at",
        ]


class StorySerializer(_PageSerializer):
    produced_assets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

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


class AssetViewSet(_LivePagesViewSet):
    """Reusable service assets; filter by form, licence, sector and administrative scope."""

    queryset = AssetPage.objects.prefetch_related("sectors", "documents__document", "related_calls")
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet


class StoryViewSet(_LivePagesViewSet):
    """Success stories."""

    queryset = StoryPage.objects.prefetch_related("produced_assets")
    serializer_class = StorySerializer
