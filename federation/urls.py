"""Federation routes: WebFinger, NodeInfo, the actor and its collections, inboxes, catalogue."""

from django.urls import path

from .views import ap, health, inbox, public

app_name = "interlink_federation"
urlpatterns = [
    path(".well-known/webfinger", ap.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", ap.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", ap.nodeinfo, name="nodeinfo"),
    path("ap/actor", ap.actor_view, name="actor"),
    path("ap/inbox", inbox.inbox, name="inbox"),
    path("inbox", inbox.inbox, name="shared_inbox"),
    path("ap/outbox", ap.outbox, name="outbox"),
    path("ap/followers", ap.followers, name="followers"),
    path("ap/following", ap.following, name="following"),
    path("ap/objects/<uuid:uuid>", ap.object_view, name="object"),
    path("ap/objects/<uuid:uuid>/replies", ap.replies_view, name="replies"),
    path("ap/activities/<uuid:uuid>", ap.activity_view, name="activity"),
    path("ap/context.jsonld", ap.context_view, name="context"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("federated/", public.catalogue, name="catalogue"),
    path("federated/<int:pk>/", public.remote_object, name="remote_object"),
]
