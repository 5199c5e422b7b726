"""URLs of an Interlink node: Wagtail admin and pages, plus the Interlink apps' routes."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from interlink_blocks.accounts import urls as accounts_urls
from interlink_blocks.language import language_copies
from interlink_blocks.participation import urls as participation_urls
from interlink_federation import urls as federation_urls
from interlink_search import urls as search_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # set_language: the no-JavaScript language switcher on unprefixed public views.
    path("i18n/", include("django.conf.urls.i18n")),
    # Every installed Interlink app's routes (federation and search add theirs by hook).
    path("", include("interlink_blocks.urls")),
    path("", include("interlink_themes.urls")),
]

if settings.DEBUG:
    from django.apps import apps
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    if apps.is_installed("django_mail_viewer"):
        # Development only: the mails the node sent, readable in the browser (settings/dev.py).
        urlpatterns.append(path("dev/mail/", include("django_mail_viewer.urls")))

# Pages and the public views people read get a language prefix (/es/, /it/, /lv/; English
# has none): copies of the routes above, so /es/discover/ is discovery in Spanish and
# interlink_blocks.language.in_language turns a reversed address into the visitor's. Routes
# that machines address (APIs, ActivityPub, well-known) have no copies: one address each.
# Unprefixed, the public views follow the visitor's language (themes.middleware).
# Wagtail's page serving must come last: it matches every remaining path.
urlpatterns += i18n_patterns(
    *language_copies(search_urls.urlpatterns, only=("discover/",)),
    *language_copies(federation_urls.urlpatterns, only=("federated/",)),
    *language_copies(participation_urls.urlpatterns),
    *accounts_urls.language_patterns(),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Error pages rendered in the site's theme (with a plain fallback if rendering fails).
handler500 = "interlink_themes.views.server_error"
