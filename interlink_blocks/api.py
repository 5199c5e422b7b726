"""Wagtail API v2 endpoints: pages, plus one endpoint per Interlink page type."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .models import AssetPage, CallPage, StoryPage


class CallsAPIViewSet(PagesAPIViewSet):
    name = "calls"
    model = CallPage
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "summary",
        "status",
        "phase",
        "deadline",
    ]


class AssetsAPIViewSet(PagesAPIViewSet):
    name = "assets"
    model = AssetPage
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "summary", "form", "licence"]


class StoriesAPIViewSet(PagesAPIViewSet):
    name = "stories"
    model = StoryPage
    listing_default_fields = [*PagesAPIViewSet.listing_default_fields, "summary"]


api_router = WagtailAPIRouter("interlink_wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("calls", CallsAPIViewSet)
api_router.register_endpoint("assets", AssetsAPIViewSet)
api_router.register_endpoint("stories", StoriesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
