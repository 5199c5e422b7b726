"""The account pages, and django-allauth's (sign-in, code, password, sign-out)."""

from django.urls import include, path

from ..language import language_copies
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
    return [path("accounts/", include(copies))]
