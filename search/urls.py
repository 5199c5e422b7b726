from django.urls import path

from . import api, views

app_name = "interlink_search"
urlpatterns = [
    path("discover/", views.discover, name="discover"),
    path("discover/suggest/", views.suggestions, name="suggestions"),
    path("api/v1/discover/", api.DiscoverView.as_view(), name="api-discover"),
]
