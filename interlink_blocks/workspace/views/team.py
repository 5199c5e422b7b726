"""The team: members and their roles; process admins invite by address, change roles, remove."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import InviteForm, RoleForm
from ..models import Membership
from ..services import team as team_service
from .common import page, workspace_view


@workspace_view("view", post_needs="manage")
def team(request, process, access):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        team_service.invite(
            process,
            data["email"],
            role=data["role"],
            team_role=data["team_role"],
            name=data["name"].strip(),
            by=request.user,
        )
        messages.success(request, _("The invitation was sent."))
        return redirect("interlink_workspace:team", process.pk)
    members = list(process.memberships.select_related(None).order_by("name", "pk"))
    for membership in members:
        membership.role_form = RoleForm(
            initial={"role": membership.role}, prefix=f"member-{membership.pk}"
        )
    invitations = process.invitations.filter(accepted_at__isnull=True) if access.can_manage else []
    return page(
        request,
        "interlink_workspace/team.html",
        process,
        access,
        {"members": members, "form": form, "invitations": invitations},
        [form],
    )


@workspace_view("manage")
@require_POST
def member(request, process, access, membership_id):
    membership = get_object_or_404(Membership, process=process, pk=membership_id)
    if request.POST.get("action") == "remove":
        team_service.remove_member(membership, request.user)
        messages.success(
            request, _("%(name)s was removed from the team.") % {"name": membership.name}
        )
        return redirect("interlink_workspace:team", process.pk)
    form = RoleForm(request.POST, prefix=f"member-{membership.pk}")
    if form.is_valid() and form.cleaned_data["role"] != membership.role:
        team_service.change_role(membership, form.cleaned_data["role"], request.user)
        messages.success(
            request, _("The role of %(name)s was changed.") % {"name": membership.name}
        )
    return redirect("interlink_workspace:team", process.pk)
