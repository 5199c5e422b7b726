from django.urls import path  # noqa: F401

app_name = "interlink_themes"
urlpatterns: list = []
