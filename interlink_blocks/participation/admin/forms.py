"""The staff form for a contribution: moderation and the official answer.

Saving runs the same services as the public side, so other apps get their signals and
authors and subscribers get their answer by e-mail whichever way a change is made.
"""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import ContributionState
from ..services import contributions as contribution_service


class ContributionAdminForm(WagtailAdminModelForm):
    def save(self, commit=True):
        changed = set(self.changed_data)
        was_visible = self.initial.get("state") == ContributionState.APPROVED
        if "state" in changed and self.instance.state == ContributionState.APPROVED:
            self.instance.published_at = self.instance.published_at or timezone.now()
        instance = super().save(commit=commit)
        if not commit:
            return instance
        if "state" in changed:
            contribution_service.after_state_change(instance, was_visible)
        if changed & {"answer_status", "answer_text"} and instance.answer_status:
            contribution_service.publish_answer(instance)
        return instance
