"""The node's URLs plus a route that fails, to see the 500 page in a browser, and the
uploaded files (images in blocks), which the live server does not serve by itself."""

from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from interlink_site.urls import *  # noqa: F403
from interlink_site.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("Deliberate failure to render the 500 page")


def media(request, path):
    # MEDIA_ROOT is read per request: tests point it at their own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("__boom__/", boom),
    re_path(r"^media/(?P<path>.*)$", media),
    *site_urlpatterns,
]
