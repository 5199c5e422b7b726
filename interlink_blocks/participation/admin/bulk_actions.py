"""Bulk moderation in the snippet listings: approve or reject contributions, accept or decline
team requests."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..models import Contribution, ContributionState, TeamRequest
from ..services import contributions as contribution_service
from ..services import engagement


class _ModerationAction(SnippetBulkAction):
    template_name = "participation/admin/bulk_confirm.html"
    action_priority = 20

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d item updated.", "%(count)d items updated.", num_parent_objects
        ) % {"count": num_parent_objects}


class ApproveContributions(_ModerationAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected contributions")
    models = [Contribution]

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for contribution in objects:
            contribution_service.set_state(contribution, ContributionState.APPROVED, by=user)
        return len(objects), 0


class RejectContributions(_ModerationAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected contributions")
    models = [Contribution]
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for contribution in objects:
            contribution_service.set_state(contribution, ContributionState.REJECTED, by=user)
        return len(objects), 0


class AcceptTeamRequests(_ModerationAction):
    display_name = _("Accept")
    action_type = "accept"
    aria_label = _("Accept the selected team requests")
    models = [TeamRequest]

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for team_request in objects:
            engagement.decide_team_request(team_request, accept=True)
        return len(objects), 0


class DeclineTeamRequests(_ModerationAction):
    display_name = _("Decline")
    action_type = "decline"
    aria_label = _("Decline the selected team requests")
    models = [TeamRequest]
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for team_request in objects:
            engagement.decide_team_request(team_request, accept=False)
        return len(objects), 0
