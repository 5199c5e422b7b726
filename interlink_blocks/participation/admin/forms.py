"""The staff forms for a contribution (moderation, official answer) and a team request.

Saving runs the same services as the public side and the bulk actions, so other apps get
their signals and people get their mail whichever way a change is made.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import ContributionState, TeamRequestState
from ..models.contributions import answer_choices
from ..services import contributions as contribution_service
from ..services import engagement


class ContributionAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("answer_status")
        if field is not None and self.instance.kind:
            # Only the answers that fit: a question is "Answered", never "Accepted".
            field.choices = [("", "---------"), *answer_choices(self.instance.kind)]

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("state")
        if "state" in self.changed_data and state:
            refusal = contribution_service.approval_refusal(self.instance, state)
            if refusal:
                self.add_error("state", refusal)
        answering = {"answer_status", "answer_text"} & set(self.changed_data)
        if answering and cleaned.get("answer_status") and state != ContributionState.APPROVED:
            # An answer is shown under the contribution and mailed to every subscriber.
            self.add_error(
                "answer_status",
                _(
                    "An official answer is public and mailed to the call's subscribers: "
                    "approve the contribution first (or in the same save)."
                ),
            )
        return cleaned

    def save(self, commit=True):
        changed = set(self.changed_data)
        was_visible = self.initial.get("state") == ContributionState.APPROVED
        if "state" in changed and self.instance.state == ContributionState.APPROVED:
            self.instance.published_at = self.instance.published_at or timezone.now()
        instance = super().save(commit=commit)
        if not commit:
            return instance
        if changed & {"title", "body"}:
            contribution_service.record_moderator_edit(
                instance, self.initial.get("title", ""), self.initial.get("body", "")
            )
        if "state" in changed:
            contribution_service.after_state_change(instance, was_visible)
        if changed & {"answer_status", "answer_text"} and instance.answer_status:
            contribution_service.publish_answer(instance)
        return instance


class TeamRequestAdminForm(WagtailAdminModelForm):
    """Staff accept or decline a request here as with the bulk actions: through
    ``engagement.decide_team_request`` (decision date, mail to the person)."""

    def clean_state(self):
        state = self.cleaned_data["state"]
        current = self.initial.get("state")
        if state == current:
            return state
        if current == TeamRequestState.UNCONFIRMED:
            raise forms.ValidationError(
                _("The person has not confirmed this request by e-mail: it cannot be decided.")
            )
        if state not in (TeamRequestState.ACCEPTED, TeamRequestState.DECLINED):
            raise forms.ValidationError(_("A request can be accepted or declined."))
        return state

    def save(self, commit=True):
        decision = self.instance.state if "state" in self.changed_data else None
        if decision:
            self.instance.state = self.initial["state"]  # the service makes the change
        instance = super().save(commit=commit)
        if decision and commit:
            engagement.decide_team_request(instance, accept=decision == TeamRequestState.ACCEPTED)
        return instance
