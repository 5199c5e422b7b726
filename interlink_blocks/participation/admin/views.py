"""Staff handling a person's request about their data: download it, or delete it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms import DeleteDataForm
from ..models import Participant
from ..services import privacy
from ..views.links import personal_data_response


def _check(request, action: str) -> None:
    if not request.user.has_perm(f"interlink_participation.{action}_participant"):
        raise PermissionDenied


def download_data(request, pk):
    _check(request, "change")
    return personal_data_response(get_object_or_404(Participant, pk=pk))


def delete_data(request, pk):
    _check(request, "delete")
    participant = get_object_or_404(Participant, pk=pk)
    form = DeleteDataForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.delete_participant(
            participant, keep_approved=not form.cleaned_data["delete_approved"]
        )
        messages.success(request, _("The participant's data was deleted."))
        return redirect(reverse("wagtailsnippets_interlink_participation_participant:list"))
    return TemplateResponse(
        request,
        "interlink_participation/admin/delete_data.html",
        {"participant": participant, "form": form},
    )
