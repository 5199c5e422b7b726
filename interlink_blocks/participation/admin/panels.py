"""The dashboard panel: per-call counts of pending contributions, supports and team members."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from wagtail.admin.ui.components import Component

from interlink_blocks.models import CallPage

from ..models import Contribution, ContributionState, Support, TeamRequest, TeamRequestState
from .permissions import can_see_participation


def _count(model, **filters):
    """The number of ``model`` rows of each call, as a correlated subquery.

    One subquery per count, each using the ``call`` index: counting through joins on the
    call instead multiplies contributions by supports by team requests per call.
    """
    rows = (
        model.objects.filter(call=OuterRef("pk"), **filters)
        .order_by()
        .values("call")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class ParticipationPanel(Component):
    name = "participation"
    template_name = "interlink_participation/admin/dashboard_panel.html"
    order = 150

    @staticmethod
    def is_shown_to(user) -> bool:
        """Only people who may see contributions in the admin see what is pending."""
        return can_see_participation(user)

    def get_context_data(self, parent_context):
        calls = (
            CallPage.objects.annotate(
                pending=_count(Contribution, state=ContributionState.PENDING),
                support_total=_count(Support),
                team_total=_count(TeamRequest, state=TeamRequestState.ACCEPTED),
                team_pending=_count(TeamRequest, state=TeamRequestState.PENDING),
            )
            .filter(Q(live=True) | Q(pending__gt=0) | Q(team_pending__gt=0))
            .order_by("-pending", "title")[:20]
        )
        queue = reverse("wagtailsnippets_interlink_participation_contribution:list")
        return {"calls": calls, "queue_url": queue}
