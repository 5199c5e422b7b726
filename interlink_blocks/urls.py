"""Interlink's URLs, to include before Wagtail's page serving in a host site::

path("", include("interlink_blocks.urls")),
path("", include(wagtail_urls)),

That one include carries every installed Interlink app's routes: the core's and its
sub-apps' below, and those the other apps register with the ``register_interlink_urls``
hook (federation's WebFinger and ActivityPub routes, discovery), as Wagtail's admin
collects ``register_admin_urls``. The core thus routes them without importing them.
"""

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter
from wagtail import hooks

from .api import api_router
from .rest import AssetViewSet, CallViewSet, StoryViewSet

rest_router = DefaultRouter()
rest_router.register("calls", CallViewSet, basename="call")
rest_router.register("assets", AssetViewSet, basename="asset")
rest_router.register("stories", StoryViewSet, basename="story")

# The OpenAPI schema describes the DRF API (the Wagtail API v2 documents itself
# through its own conventions), whatever else the host site routes.
rest_api_patterns = [path("api/v1/", include((rest_router.urls, "interlink_api")))]
# Optional apps add their routes only when installed (the core never requires them).
optional_patterns = []
if apps.is_installed("interlink_blocks.participation"):
    from .participation import urls as participation_urls

    rest_api_patterns.append(
        path("api/v1/", include((participation_urls.api_patterns, "interlink_participation_api")))
    )
    optional_patterns.append(path("", include(participation_urls)))
if apps.is_installed("interlink_blocks.accounts"):
    from .accounts import urls as accounts_urls

    optional_patterns.extend(accounts_urls.patterns)
if apps.is_installed("interlink_blocks.workspace"):
    from .workspace import urls as workspace_urls

    rest_api_patterns.append(
        path("api/v1/", include((workspace_urls.api_patterns, "interlink_workspace_api")))
    )
    optional_patterns.append(path("", include(workspace_urls)))


def add_app_endpoints(endpoints: list[tuple]) -> list[tuple]:
    """drf-spectacular preprocessing hook: the endpoints other apps add to the schema
    (``interlink_openapi_endpoints`` hooks: each takes and returns the endpoint list)."""
    for hook in hooks.get_hooks("interlink_openapi_endpoints"):
        endpoints = hook(endpoints)
    return endpoints


SCHEMA_SETTINGS = {
    "TITLE": "Interlink API",
    "DESCRIPTION": "Co-production calls, reusable service assets and success stories.",
    "VERSION": "1",
    "PREPROCESSING_HOOKS": ["interlink_blocks.urls.add_app_endpoints"],
}

urlpatterns = [
    path("api/v2/", api_router.urls),
    *rest_api_patterns,
    path(
        "api/schema/",
        SpectacularAPIView.as_view(urlconf=rest_api_patterns, custom_settings=SCHEMA_SETTINGS),
        name="interlink-openapi-schema",
    ),
    *optional_patterns,
]
for register in hooks.get_hooks("register_interlink_urls"):
    urlpatterns += register()
