"""URLs of an Interlink node: Wagtail admin and pages, plus the Interlink apps' routes."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # set_language: the no-JavaScript language switcher on unprefixed public views.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("interlink_federation.urls")),
    path("", include("interlink_search.urls")),
    path("", include("interlink_blocks.urls")),
    path("", include("interlink_themes.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages get a language prefix (/es/, /it/, /lv/; English has none). The routes
# above (APIs, ActivityPub, well-known, and the public views that share their URL
# configurations) stay unprefixed and follow the visitor's language (themes.middleware).
# Wagtail's page serving must come last: it matches every remaining path.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)

# Error pages rendered in the site's theme (with a plain fallback if rendering fails).
handler500 = "interlink_themes.views.server_error"
