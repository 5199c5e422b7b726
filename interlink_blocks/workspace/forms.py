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


class UploadForm(WorkspaceForm):
    """A new document on a task (its first version)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.fields["file"].help_text = upload_help(staff)
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self['file'].auto_id}-help"

    def clean_file(self):
        from .services.resources import check_upload

        upload = self.cleaned_data["file"]
        check_upload(upload, self.staff)
        return upload


class VersionForm(UploadForm):
    """A new version of a document: the file and what changed."""

    note = forms.CharField(label=_("What changed (optional)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        del self.fields["description"]


class LinkForm(WorkspaceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(label=_("Address"), max_length=1000, assume_scheme="https")
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClaimForm(WorkspaceForm):
    kind = forms.ChoiceField(label=_("Your contribution"), widget=forms.RadioSelect)
    resource = forms.TypedChoiceField(label=_("To"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("A short note (optional)"), max_length=500, required=False)

    def __init__(self, *args, resources=(), **kwargs):
        from .models.claims import ClaimKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ClaimKind.choices  # type: ignore[attr-defined]
        choices = [("", _("The task itself"))] + [(r.pk, r.name) for r in resources]
        self.fields["resource"].choices = choices  # type: ignore[attr-defined]


class PointsRuleForm(WorkspaceForm):
    def __init__(self, *args, rule: dict, **kwargs):
        from .models.claims import ClaimKind

        super().__init__(*args, **kwargs)
        for kind, label in ClaimKind.choices:
            self.fields[kind] = forms.IntegerField(
                label=label, min_value=0, max_value=1000, initial=rule.get(kind, 0)
            )


class LeaderboardForm(WorkspaceForm):
    on_leaderboard = forms.BooleanField(
        label=_("Show my name and points on this team's leaderboard"), required=False
    )


def upload_help(staff: bool) -> str:
    from . import conf

    if staff:
        return str(_("Any document type but web pages and SVG images."))
    limit = conf.get("WORKSPACE_UPLOAD_MAX_BYTES")
    return str(
        _("At most %(size)s MB; types: %(types)s.")
        % {
            "size": round(limit / 1024 / 1024, 1),
            "types": ", ".join(conf.get("WORKSPACE_UPLOAD_EXTENSIONS")),
        }
    )


class MessageForm(WorkspaceForm):
    body = forms.CharField(
        label=_("Your message"),
        help_text=_("Plain text. Type @ and a member's name to tell them, e.g. @Ana García."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HideForm(WorkspaceForm):
    reason = forms.CharField(
        label=_("Why hide it"),
        help_text=_("The team sees this instead of the message."),
        max_length=500,
    )


class ReportForm(WorkspaceForm):
    reason = forms.CharField(label=_("What is wrong (optional)"), max_length=500, required=False)


class NotificationsForm(WorkspaceForm):
    """Per kind of event: off, at once, or in the daily digest; and the mails' language."""

    def __init__(self, *args, current, language_choices, **kwargs):
        from .models import NotifyKind, NotifyMode

        super().__init__(*args, **kwargs)
        for kind, label in NotifyKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotifyMode.choices,
                initial=current.mode(kind),
                widget=forms.RadioSelect,
            )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the mails"), choices=language_choices
        )


class OutcomeForm(forms.Form):
    """Staff (Wagtail admin): where the story and the assets go, which resources to publish."""

    story_parent = forms.TypedChoiceField(label=_("Draft the success story under"), coerce=int)
    asset_parent = forms.TypedChoiceField(label=_("Publish the assets under"), coerce=int)
    resources = forms.TypedMultipleChoiceField(
        label=_("Resources to publish as reusable assets"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    form = forms.ChoiceField(label=_("Form of the assets"))
    licence = forms.ChoiceField(label=_("Licence of the assets"), initial="CC-BY-4.0")

    def __init__(self, *args, story_parents, asset_parents, resources, **kwargs):
        from interlink_blocks.choices import LICENCE_CHOICES, AssetForm

        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["story_parent"].choices = [(p.pk, p.title) for p in story_parents]  # type: ignore[attr-defined]
        fields["asset_parent"].choices = [(p.pk, p.title) for p in asset_parents]  # type: ignore[attr-defined]
        fields["resources"].choices = [  # type: ignore[attr-defined]
            (r.pk, f"{r.name} ({r.task.title})") for r in resources
        ]
        fields["form"].choices = AssetForm.choices  # type: ignore[attr-defined]
        fields["licence"].choices = LICENCE_CHOICES  # type: ignore[attr-defined]
