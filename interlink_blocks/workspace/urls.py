"""Workspace routes (public site, signed-in team members) and its REST API."""

from django.urls import path

from . import api
from .views import certificates, claims, discussion, overview, plan, resources, team

app_name = "interlink_workspace"

urlpatterns = [
    path("workspace/<int:process_id>/", overview.overview, name="overview"),
    path("workspace/<int:process_id>/plan/", plan.plan, name="plan"),
    path("workspace/<int:process_id>/workplan/", overview.workplan, name="workplan"),
    path("workspace/<int:process_id>/activity/", overview.activity, name="activity"),
    path("workspace/<int:process_id>/team/", team.team, name="team"),
    path("workspace/<int:process_id>/team/<int:membership_id>/", team.member, name="member"),
    path("workspace/<int:process_id>/phases/<int:phase_id>/", plan.phase, name="phase"),
    path(
        "workspace/<int:process_id>/objectives/<int:objective_id>/",
        plan.objective,
        name="objective",
    ),
    path("workspace/<int:process_id>/tasks/<int:task_id>/", plan.task, name="task"),
    path(
        "workspace/<int:process_id>/tasks/<int:task_id>/resources/",
        resources.add,
        name="add_resource",
    ),
    path("workspace/<int:process_id>/tasks/<int:task_id>/claim/", claims.claim, name="claim"),
    path(
        "workspace/<int:process_id>/tasks/<int:task_id>/discussion/",
        discussion.discussion,
        name="discussion",
    ),
    path(
        "workspace/<int:process_id>/messages/<int:message_id>/moderate/",
        discussion.moderate,
        name="moderate_message",
    ),
    path(
        "workspace/<int:process_id>/messages/<int:message_id>/report/",
        discussion.report,
        name="report_message",
    ),
    path(
        "workspace/<int:process_id>/notifications/",
        discussion.notifications,
        name="notifications",
    ),
    path(
        "workspace/<int:process_id>/resources/<int:resource_id>/",
        resources.resource,
        name="resource",
    ),
    path(
        "workspace/<int:process_id>/resources/<int:resource_id>/versions/<int:number>/",
        resources.download,
        name="download",
    ),
    path("workspace/<int:process_id>/contributions/", claims.claims, name="claims"),
    path(
        "workspace/<int:process_id>/contributions/<int:claim_id>/",
        claims.decide,
        name="decide",
    ),
    path("workspace/<int:process_id>/leaderboard/", claims.leaderboard, name="leaderboard"),
    path("workspace/certificate/", certificates.download, name="certificate_download"),
    path("certificates/<uuid:uuid>/", certificates.verify, name="certificate"),
    path(
        "workspace/<int:process_id>/<str:kind>/<int:item_id>/move/",
        plan.move,
        name="move",
    ),
    path(
        "workspace/<int:process_id>/<str:kind>/<int:item_id>/remove/",
        plan.remove,
        name="remove",
    ),
]

# Mounted under api/v1/ by interlink_blocks.urls, inside the OpenAPI schema's urlconf.
api_patterns = [
    path("processes/<int:process_id>/", api.ProcessView.as_view(), name="process"),
    path("processes/<int:process_id>/members/", api.MemberList.as_view(), name="members"),
    path("processes/<int:process_id>/activity/", api.ActivityList.as_view(), name="activity"),
    path("processes/<int:process_id>/progress/", api.ProgressView.as_view(), name="progress"),
]
