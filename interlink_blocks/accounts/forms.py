"""django-allauth's forms with Interlink's accessible errors and wording (``ACCOUNT_FORMS``).

``RequestCodeForm`` is the one way in for participants: an address, then a code mailed to
it. An address we do not know gets a new account and a code like a known one, so the page
tells nobody who has an account here; a staff address gets no code but a pointer to the
admin's own sign-in (staff accounts are not opened by a mailed code).
"""

import logging

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from interlink_blocks.participation.forms import AccessibleMixin

from . import conf, emails, services

logger = logging.getLogger(__name__)


class RequestCodeForm(AccessibleMixin, allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = _("Your e-mail address")
        field.help_text = _("We mail you a code to type on the next page.")
        field.widget.attrs.update({"autocomplete": "email", "aria-describedby": "id_email-help"})
        field.widget.attrs.pop("placeholder", None)

    def clean_email(self):
        email = super().clean_email()
        user = getattr(self, "_user", None)
        if not email:
            return email
        if user is None and conf.get("ACCOUNTS_OPEN"):
            self._user = services.create_account(email)
        elif user is not None and services.has_admin_access(user):
            # The same next page as for everyone; the mail says where staff sign in.
            emails.send_staff_notice(email)
            self._user = None
        return email


class ConfirmCodeForm(AccessibleMixin, allauth_forms.ConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Sign-in code")
        field.help_text = _("The code in the e-mail we just sent you.")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs.update(
            {"autocomplete": "one-time-code", "aria-describedby": "id_code-help"}
        )


class PasswordLoginForm(AccessibleMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Your e-mail address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("aria-describedby", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")


class SetPasswordForm(AccessibleMixin, allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password again")
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)


class ChangePasswordForm(AccessibleMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")
        self.fields["oldpassword"].help_text = ""
        self.fields["oldpassword"].widget.attrs.pop("aria-describedby", None)
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password again")
        for name in ("oldpassword", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)


class ProfileForm(AccessibleMixin, forms.Form):
    """The name other participants and team members see."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        required=False,
        help_text=_("Shown with what you contribute and to the teams you work in."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
