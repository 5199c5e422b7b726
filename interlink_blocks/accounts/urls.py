"""The account pages, and django-allauth's (sign-in, code, password, sign-out)."""

import functools

from django.urls import URLPattern, include, path

from ..language import in_language, language_copies
from . import views

app_name = "interlink_accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-data/", views.download, name="download"),
    path("delete/", views.delete, name="delete"),
]

# Mounted by interlink_blocks.urls: ours under accounts/ first, then allauth's (unnamespaced,
# as allauth reverses its own names).
patterns = [
    path("accounts/", include((urlpatterns, app_name))),
    path("accounts/", include("allauth.account.urls")),
]


def language_patterns() -> list:
    """Unnamed copies of every account route (ours and allauth's) under ``accounts/``, for a
    site's ``i18n_patterns``: ``/es/accounts/login/code/`` keeps a Spanish visitor's
    language, and ``lang_url`` / ``in_language`` give those addresses (docs/adopting.md)."""
    from allauth.account import urls as allauth_urls

    copies = language_copies(urlpatterns) + language_copies(allauth_urls.urlpatterns)
    kept = [
        URLPattern(copy.pattern, _redirects_in_language(copy.callback), copy.default_args)
        for copy in copies
    ]
    return [path("accounts/", include(kept))]


def _redirects_in_language(view):
    """allauth redirects by ``reverse`` (from the code request to its confirmation, after
    signing in or out), which gives the unprefixed address; on a prefixed copy the visitor
    would land in the default language. Its redirects to our own routes get the prefix."""

    @functools.wraps(view)
    def keeping_language(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            response["Location"] = in_language(response["Location"])
        return response

    return keeping_language
