"""The discovery search as a DRF endpoint: the page's parameters, JSON results."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import service
from .backends import SearchTooSlow
from .facets import FACETS
from .throttles import ApiThrottle
from .types import SORTS


class FacetBucketSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    buckets = FacetBucketSerializer(many=True)


class HitSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField(source="document.kind")
    origin = serializers.CharField(source="document.origin")
    title = serializers.CharField(source="document.title")
    summary = serializers.CharField(source="document.summary")
    url = serializers.CharField(source="document.url")
    municipality = serializers.CharField(source="document.municipality")
    deadline = serializers.CharField(source="document.deadline", allow_null=True)
    published_at = serializers.CharField(source="document.published_at", allow_null=True)
    highlights = serializers.DictField(child=serializers.CharField())


class DiscoverResponseSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    backend = serializers.CharField()
    degraded = serializers.BooleanField(help_text="True when the engine was unreachable.")
    next = serializers.CharField(allow_null=True, help_text="Cursor for `after`.")
    hits = HitSerializer(many=True)
    facets = FacetSerializer(many=True)


PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to look for."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(SORTS)),
    OpenApiParameter("size", OpenApiTypes.INT, description=f"1 to {service.MAX_SIZE}."),
    OpenApiParameter("after", OpenApiTypes.STR, description="The `next` cursor of a response."),
    *(
        OpenApiParameter(
            facet.name, OpenApiTypes.STR, many=True, description=f"Filter: {facet.label}."
        )
        for facet in FACETS
    ),
]


class DiscoverView(APIView):
    """Search local and federated calls and assets, with facets and highlights."""

    permission_classes = [AllowAny]
    throttle_classes = [ApiThrottle]

    @extend_schema(parameters=PARAMETERS, responses=DiscoverResponseSerializer)
    def get(self, request: Request) -> Response:
        try:
            query = service.query_from_params(request.query_params)
        except service.InvalidParameters as exc:
            return Response({"detail": str(exc)}, status=400)
        try:
            results = service.run_search(query)
        except SearchTooSlow as exc:
            return Response({"detail": str(exc)}, status=503)
        payload: dict[str, Any] = {
            "total": results.total,
            "backend": results.backend,
            "degraded": results.degraded,
            "next": results.next_cursor,
            "hits": results.hits,
            "facets": service.label_facets(results, query),
        }
        return Response(DiscoverResponseSerializer(payload).data)


def add_to_openapi_schema(endpoints: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """drf-spectacular preprocessing hook: put the discovery endpoint in the API schema,
    whose URL list the core restricts to its own REST routes."""
    from django.urls import reverse

    path = reverse("interlink_search:api-discover")
    if any(endpoint[0] == path for endpoint in endpoints):
        return endpoints
    return [*endpoints, (path, f"^{path.lstrip('/')}$", "GET", DiscoverView.as_view())]
