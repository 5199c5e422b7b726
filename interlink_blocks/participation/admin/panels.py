"""The dashboard panel: per-call counts of pending contributions, supports and team members."""

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from interlink_blocks.models import CallPage

from ..models import ContributionState, TeamRequestState


class ParticipationPanel(Component):
    name = "participation"
    template_name = "participation/admin/dashboard_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        calls = (
            CallPage.objects.annotate(
                pending=Count(
                    "contributions",
                    filter=Q(contributions__state=ContributionState.PENDING),
                    distinct=True,
                ),
                support_total=Count("supports", distinct=True),
                team_total=Count(
                    "team_requests",
                    filter=Q(team_requests__state=TeamRequestState.ACCEPTED),
                    distinct=True,
                ),
                team_pending=Count(
                    "team_requests",
                    filter=Q(team_requests__state=TeamRequestState.PENDING),
                    distinct=True,
                ),
            )
            .filter(Q(live=True) | Q(pending__gt=0) | Q(team_pending__gt=0))
            .order_by("-pending", "title")[:20]
        )
        queue = reverse("wagtailsnippets_interlink_participation_contribution:list")
        return {"calls": calls, "queue_url": queue}
