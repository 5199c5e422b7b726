"""URLs of a test node: the site's, plus its uploaded files.

In production the web server in front of Django serves ``MEDIA_URL``; a node on loopback
has none, and another node must be able to download an asset's images and documents from
it (reuse over federation). Django's ``static()`` helper serves nothing unless DEBUG is
on, so the view is wired directly.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from interlink_site.urls import urlpatterns as site_urlpatterns

media_prefix = settings.MEDIA_URL.lstrip("/")
urlpatterns = [
    re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
