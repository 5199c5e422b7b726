"""Participation routes (public forms, mailed links, exports) and its REST API."""

from django.urls import path

from . import api
from .views import exports, links, public

app_name = "interlink_participation"

urlpatterns = [
    path("participation/calls/<int:call_id>/contribute/", public.contribute, name="contribute"),
    path("participation/calls/<int:call_id>/support/", public.support, name="support_call"),
    path(
        "participation/calls/<int:call_id>/contributions/<int:contribution_id>/support/",
        public.support,
        name="support_contribution",
    ),
    path("participation/calls/<int:call_id>/join/", public.join, name="join"),
    path("participation/calls/<int:call_id>/subscribe/", public.subscribe, name="subscribe"),
    path(
        "participation/calls/<int:call_id>/contributions.csv",
        exports.export_csv,
        name="export_csv",
    ),
    path(
        "participation/calls/<int:call_id>/contributions.json",
        exports.export_json,
        name="export_json",
    ),
    path("participation/contributions/<int:contribution_id>/report/", public.report, name="report"),
    path(
        "participation/contributions/<int:contribution_id>/withdraw/",
        public.withdraw,
        name="withdraw",
    ),
    path("participation/confirm/<str:token>/", links.confirm, name="confirm"),
    path("participation/unsubscribe/<str:token>/", links.unsubscribe, name="unsubscribe"),
    path("participation/my-data/", links.data_request, name="data_request"),
    path("participation/my-data/<str:token>/", links.my_data, name="my_data"),
    path(
        "participation/my-data/<str:token>/download/",
        links.my_data_download,
        name="my_data_download",
    ),
]

# Mounted under api/v1/ by interlink_blocks.urls, inside the OpenAPI schema's urlconf.
api_patterns = [
    path(
        "calls/<int:call_id>/contributions/",
        api.CallContributionsView.as_view(),
        name="contributions",
    ),
    path("calls/<int:call_id>/support/", api.CallSupportView.as_view(), name="support_call"),
    path(
        "contributions/<int:contribution_id>/support/",
        api.SupportView.as_view(),
        name="support",
    ),
]
