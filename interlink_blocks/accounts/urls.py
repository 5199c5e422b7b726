"""The account pages, and django-allauth's (sign-in, code, password, sign-out)."""

from django.urls import include, path

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
