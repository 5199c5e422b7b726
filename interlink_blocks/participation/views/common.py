"""Helpers shared by the public views."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from interlink_blocks.models import CallPage

TOO_MANY = _("You have sent many submissions in a short time. Please try again in an hour.")
ALREADY_DECIDED = _(
    "The call's team has already answered your request to join; it was left unchanged."
)


def get_call(call_id: int) -> CallPage:
    call = CallPage.objects.live().public().filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


def call_url(call, anchor: str = "participation") -> str:
    """Where a form sends the visitor back: the call in the visitor's language when it is
    translated (Wagtail's ``localized``), so the confirmation is read in that language."""
    return f"{call.localized.url}#{anchor}"


def closed(request, call):
    """The clear message that replaces forms on a closed call; a POST gets it with 403."""
    status = 403 if request.method == "POST" else 200
    return render(request, "interlink_participation/closed.html", {"call": call}, status=status)


def form_page(request, template: str, context: dict, form) -> object:
    """Renders a form page: 400 when the submitted form has errors, 429 when rate-limited."""
    status = 200
    if form.is_bound and form.errors:
        status = 429 if getattr(form, "rate_limited", False) else 400
    return render(request, template, context, status=status)
