"""Routes of the themes app, outside the language prefixes: ``/favicon.ico``."""

from django.urls import path

from . import views

app_name = "interlink_themes"
urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
]
