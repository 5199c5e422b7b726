"""Workspace forms: plain POST forms with accessible errors (no JavaScript needed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from interlink_blocks.participation.forms import AccessibleMixin
from interlink_blocks.participation.models import TeamRole

from .models import ProcessRole, WorkStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class WorkspaceForm(AccessibleMixin, forms.Form):
    pass


class ObjectiveForm(WorkspaceForm):
    title = forms.CharField(label=_("Objective"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewTaskForm(WorkspaceForm):
    title = forms.CharField(label=_("New task"), max_length=200)


class TaskProgressForm(WorkspaceForm):
    """What members update: status, dates, who does it."""

    status = forms.ChoiceField(label=_("Status"), choices=WorkStatus.choices)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())
    assignees: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Assigned to"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = process.memberships.exclude(  # type: ignore[attr-defined]
            role=ProcessRole.OBSERVER
        ).order_by("name", "pk")

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end must not come before the start."))
        return cleaned


class TaskDetailsForm(WorkspaceForm):
    """What process admins change: the task's title, description and who may edit it."""

    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    editable_by = forms.MultipleChoiceField(
        label=_("Only these team roles may update it"),
        help_text=_("None ticked: every member may (unless its phase says otherwise)."),
        choices=TeamRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PhaseRestrictionForm(WorkspaceForm):
    editable_by = forms.MultipleChoiceField(
        label=_("Only these team roles may update this phase's tasks"),
        help_text=_("None ticked: every member may."),
        choices=TeamRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class InviteForm(WorkspaceForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("They become a member when they sign in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Name shown to the team (optional)"), max_length=120, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ProcessRole.choices, initial=ProcessRole.MEMBER
    )
    team_role = forms.ChoiceField(
        label=_("Takes part as"), choices=[("", "—"), *TeamRole.choices], required=False
    )


class RoleForm(WorkspaceForm):
    role = forms.ChoiceField(label=_("Role"), choices=ProcessRole.choices)
