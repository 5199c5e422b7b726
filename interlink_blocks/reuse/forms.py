"""Admin forms: where a reuse goes, and which package to import."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..models import AssetIndexPage, CallIndexPage


def parent_choices(user, kind: str | None = None):
    """Index pages the user may add pages under (assets, calls or both)."""
    types = {"asset": (AssetIndexPage,), "call": (CallIndexPage,)}.get(
        kind, (AssetIndexPage, CallIndexPage)
    )
    candidates = Page.objects.type(*types).order_by("path")
    allowed = [p.pk for p in candidates if p.permissions_for_user(user).can_add_subpage()]
    return Page.objects.filter(pk__in=allowed).order_by("path")


class ParentForm(forms.Form):
    parent = forms.ModelChoiceField(
        queryset=Page.objects.none(),
        label=_("Create the draft under"),
        help_text=_("The index page the new draft will belong to."),
    )

    def __init__(self, *args, user, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_choices(user, kind)


class ImportPackageForm(ParentForm):
    package = forms.FileField(
        label=_("Package"),
        help_text=_("A reuse package (.zip) exported by an Interlink node, or a publiccode.yml."),
    )
