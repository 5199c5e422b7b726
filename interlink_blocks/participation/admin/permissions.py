"""Who sees participation in the admin. Its records are written by the public, never created
by staff in the admin."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from ..models import Contribution, Participant, Subscription, TeamRequest


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus "add": no "Add" button, no create view."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


def register() -> None:
    for model in (Contribution, Participant, Subscription, TeamRequest):
        register_permission_policy(model, NoAddPermissionPolicy(model))


def can_see_participation(user) -> bool:
    """Whether ``user`` may see contributions (and so participation counts) in the admin."""
    policy = policy_registry.get_by_type(Contribution)
    return policy.user_has_any_permission(user, ["view", "change", "delete"])
