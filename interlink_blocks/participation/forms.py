"""Public forms. They render without JavaScript and link every error to its field.

``AccessibleForm`` adds ``aria-describedby`` (help and error ids) and ``aria-invalid`` to
widgets, and a honeypot field instead of a CAPTCHA: it is hidden with ``display: none``
(out of the accessibility tree and the tab order), so only robots fill it in.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import conf
from .models import Contribution, ContributionKind, ContributionState, TeamRole

HONEYPOT = "website"


class AccessibleMixin:
    """Links each widget to its help and error texts, and lists errors for the summary.

    Mixed into any Django form (the accounts app's forms of django-allauth too), rendered
    with ``participation/includes/form_fields.html`` or field by field.
    """

    template_name = "interlink_participation/includes/form_fields.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self.auto_id % name}-help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                ids = [f"{self.auto_id % name}-error"]
                if field.help_text:
                    ids.append(f"{self.auto_id % name}-help")
                field.widget.attrs["aria-describedby"] = " ".join(ids)
                field.widget.attrs["aria-invalid"] = "true"

    def error_links(self):
        """(anchor id or None, message) for the error summary, fields in form order."""
        links = [(None, message) for message in self.non_field_errors()]
        for field in self.visible_fields():
            # Radio groups have no single label target: link to their first option.
            anchor = field.id_for_label or f"{field.auto_id}_0"
            for message in field.errors:
                # The summary names the field: "This field is required" alone says not which.
                links.append((anchor, f"{field.label}: {message}"))
        for field in self.hidden_fields():
            if field.name != HONEYPOT:
                links.extend((None, f"{field.label}: {message}") for message in field.errors)
        return links


class AccessibleForm(AccessibleMixin, forms.Form):
    """A public form with accessible errors and a honeypot field instead of a CAPTCHA."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"), required=False, max_length=200
        )
        self.fields[HONEYPOT].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                _("This submission looks automated and was not accepted."), code="honeypot"
            )
        return cleaned

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]

    @property
    def honeypot(self):
        return self[HONEYPOT]


def retention_notice() -> str:
    """How long the address is kept, said where it is asked for (the retention statement)."""
    days = conf.get("PARTICIPATION_RETENTION_DAYS")
    return ngettext(
        "We keep it for %(days)d day after your last activity, or until you ask us to delete it.",
        "We keep it for %(days)d days after your last activity, or until you ask us to delete it.",
        days,
    ) % {"days": days}


class EmailMixin(forms.Form):
    def __init__(self, *args, needs_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_email:
            del self.fields["email"]
        elif "email" in self.fields:
            field = self.fields["email"]
            field.help_text = f"{field.help_text} {retention_notice()}"

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm. Your address is never shown publicly."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ContributionForm(EmailMixin, AccessibleForm):
    kind = forms.ChoiceField(
        label=_("What would you like to share?"),
        choices=ContributionKind.choices,
        initial=ContributionKind.IDEA,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    body = forms.CharField(label=_("Your contribution"), widget=forms.Textarea(attrs={"rows": 6}))
    parent = forms.ModelChoiceField(
        label=_("In reply to"),
        queryset=Contribution.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Replies go to a published contribution only.")},
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=120,
        required=False,
        help_text=_("Shown with your contribution, unless you choose to stay anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    anonymous = forms.BooleanField(label=_("Publish as “anonymous”"), required=False)

    field_order = ["kind", "title", "body", "name", "anonymous", "email", "parent"]

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        limit = conf.get("PARTICIPATION_MAX_BODY_LENGTH")
        self.fields["body"].max_length = limit
        self.fields["body"].widget.attrs["maxlength"] = str(limit)
        self.fields["body"].help_text = _("At most %(limit)d characters.") % {"limit": limit}
        self.fields["body"].widget.attrs["aria-describedby"] = f"{self.auto_id % 'body'}-help"
        self.fields["body"].validators.append(MaxLengthValidator(limit))
        self.fields["parent"].queryset = Contribution.objects.filter(
            call=call, parent__isnull=True, state=ContributionState.APPROVED
        )


class EmailOnlyForm(EmailMixin, AccessibleForm):
    """Support and subscription: just an address to confirm, when not already known."""


class TeamRequestForm(EmailMixin, AccessibleForm):
    role = forms.ChoiceField(
        label=_("You take part as"), choices=TeamRole.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Why would you like to join?"), widget=forms.Textarea(attrs={"rows": 4})
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    list_publicly = forms.BooleanField(
        label=_("If I am accepted, list my name on the call page"), required=False
    )

    field_order = ["role", "motivation", "name", "list_publicly", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = conf.get("PARTICIPATION_MAX_MOTIVATION_LENGTH")
        self.fields["motivation"].max_length = limit
        self.fields["motivation"].widget.attrs["maxlength"] = str(limit)
        self.fields["motivation"].validators.append(MaxLengthValidator(limit))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("list_publicly") and not cleaned.get("name", "").strip():
            self.add_error("name", _("Give the name to list, or untick the listing."))
        return cleaned


class ReportForm(AccessibleForm):
    reason = forms.CharField(
        label=_("What is wrong with it? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DataRequestForm(AccessibleForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We mail a link to download or delete your data to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DeleteDataForm(AccessibleForm):
    delete_approved = forms.BooleanField(
        label=_("Also delete my published contributions"),
        required=False,
        help_text=_("Otherwise they stay on the site, signed “deleted participant”."),
    )
