"""A signed-in participant's own page: name, password, sign-out, their data, and what other
apps add (``interlink_account_sections`` hook: ``(request) -> HTML``)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from interlink_blocks.participation.models import Participant
from interlink_blocks.participation.views.links import personal_data_response

from . import services
from .forms import ProfileForm

SECTIONS_HOOK = "interlink_account_sections"


@login_required
@require_http_methods(["GET", "POST"])
def home(request):
    participant = Participant.objects.for_user(request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"display_name": participant.display_name},
    )
    if request.method == "POST" and form.is_valid():
        participant.display_name = form.cleaned_data["display_name"].strip()
        participant.save(update_fields=["display_name"])
        messages.success(request, _("Your name was saved."))
        return redirect("interlink_accounts:home")
    sections = (hook(request) for hook in hooks.get_hooks(SECTIONS_HOOK))
    context = {
        "form": form,
        "email": services.verified_email(request.user) or request.user.email,
        "has_password": request.user.has_usable_password(),
        "is_staff_account": services.has_admin_access(request.user),
        "sections": format_html_join("", "{}", ((s,) for s in sections if s)),
    }
    status = 400 if form.errors else 200
    return render(request, "interlink_accounts/home.html", context, status=status)


@login_required
def download(request):
    return personal_data_response(Participant.objects.for_user(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    if services.has_admin_access(request.user):
        return render(
            request,
            "interlink_accounts/message.html",
            {"message": _("Staff accounts are managed by the site's administrators.")},
            status=403,
        )
    if request.method == "POST":
        services.delete_account(request.user)
        logout(request)
        return render(
            request,
            "interlink_accounts/message.html",
            {"message": _("Your account and your data have been deleted.")},
        )
    return render(request, "interlink_accounts/delete.html")
