"""The node's URLs plus a route that fails, to see the 500 page in a browser."""

from django.urls import path

from interlink_site.urls import *  # noqa: F403
from interlink_site.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("Deliberate failure to render the 500 page")


urlpatterns = [path("__boom__/", boom), *site_urlpatterns]
