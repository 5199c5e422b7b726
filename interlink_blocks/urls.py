"""Interlink's URLs, to include before Wagtail's page serving in a host site::

path("", include("interlink_blocks.urls")),
path("", include(wagtail_urls)),
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .api import api_router
from .rest import AssetViewSet, CallViewSet, StoryViewSet

rest_router = DefaultRouter()
rest_router.register("calls", CallViewSet, basename="call")
rest_router.register("assets", AssetViewSet, basename="asset")
rest_router.register("stories", StoryViewSet, basename="story")

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/v1/", include((rest_router.urls, "interlink_api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="interlink-openapi-schema"),
]
