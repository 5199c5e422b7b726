"""Bulk moderation in the snippet listings: approve or reject contributions, accept or decline
team requests.

Items an action may not apply to are skipped, and a warning says how many and why: only
their author can make an unconfirmed or withdrawn contribution public, and only a request
its author confirmed can be decided.
"""

from collections import Counter

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..models import Contribution, ContributionState, TeamRequest, TeamRequestState
from ..services import contributions as contribution_service
from ..services import engagement


def _not_approved(state: str, count: int) -> str:
    if state == ContributionState.UNCONFIRMED:
        text = ngettext(
            "%(count)d contribution was not approved: its author has not confirmed it by "
            "e-mail yet.",
            "%(count)d contributions were not approved: their authors have not confirmed them "
            "by e-mail yet.",
            count,
        )
    else:
        text = ngettext(
            "%(count)d contribution was not approved: its author withdrew it.",
            "%(count)d contributions were not approved: their authors withdrew them.",
            count,
        )
    return text % {"count": count}


def _not_decided(state: str, count: int) -> str:
    if state == TeamRequestState.UNCONFIRMED:
        text = ngettext(
            "%(count)d request was skipped: the person has not confirmed it by e-mail yet.",
            "%(count)d requests were skipped: the people have not confirmed them by e-mail yet.",
            count,
        )
    else:
        text = ngettext(
            "%(count)d request was skipped: it was already in that state.",
            "%(count)d requests were skipped: they were already in that state.",
            count,
        )
    return text % {"count": count}


class _ModerationAction(SnippetBulkAction):
    template_name = "interlink_participation/admin/bulk_confirm.html"
    action_priority = 20

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_execution_context(self):
        return {"user": self.request.user}

    def skipped(self, objects) -> Counter:
        """The objects this action will leave alone, counted by the state that makes it so."""
        return Counter()

    def skip_message(self, state: str, count: int) -> str:
        raise NotImplementedError

    def prepare_action(self, objects, objects_without_access):
        self.skipped_states = self.skipped(objects)

    def get_success_message(self, num_parent_objects, num_child_objects):
        for state, count in sorted(self.skipped_states.items()):
            messages.warning(self.request, self.skip_message(state, count))
        return ngettext(
            "%(count)d item updated.", "%(count)d items updated.", num_parent_objects
        ) % {"count": num_parent_objects}


class ApproveContributions(_ModerationAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected contributions")
    models = [Contribution]

    def skipped(self, objects):
        return Counter(c.state for c in objects if contribution_service.approval_refusal(c))

    def skip_message(self, state, count):
        return _not_approved(state, count)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        approved = 0
        for contribution in objects:
            if contribution_service.approval_refusal(contribution):
                continue
            contribution_service.set_state(contribution, ContributionState.APPROVED, by=user)
            approved += 1
        return approved, 0


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


class _DecideTeamRequests(_ModerationAction):
    models = [TeamRequest]
    accept = True

    def skipped(self, objects):
        target = TeamRequestState.ACCEPTED if self.accept else TeamRequestState.DECLINED
        return Counter(
            r.state for r in objects if r.state in (TeamRequestState.UNCONFIRMED, target)
        )

    def skip_message(self, state, count):
        return _not_decided(state, count)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        decided = sum(
            engagement.decide_team_request(team_request, accept=cls.accept)
            for team_request in objects
        )
        return decided, 0


class AcceptTeamRequests(_DecideTeamRequests):
    display_name = _("Accept")
    action_type = "accept"
    aria_label = _("Accept the selected team requests")


class DeclineTeamRequests(_DecideTeamRequests):
    display_name = _("Decline")
    action_type = "decline"
    aria_label = _("Decline the selected team requests")
    classes = {"serious"}
    accept = False
