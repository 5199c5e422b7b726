"""The DRF read API: calls, assets and stories with filters, described by OpenAPI 3."""

from rest_framework import serializers, viewsets

from .filters import AssetFilterSet, CallFilterSet
from .models import AssetPage, CallPage, StoryPage
from .serializers import DocumentSerializer, LicenceSerializer, TaxonomySerializer


class _PageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

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


class _LivePagesViewSet(viewsets.ReadOnlyModelViewSet):
    """Only live, public pages: drafts and private pages never appear."""

    lookup_field = "uuid"

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
