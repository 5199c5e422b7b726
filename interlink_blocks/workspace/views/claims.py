"""Claims of contribution, their acknowledgement, the points rule and the leaderboard."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import ClaimForm, LeaderboardForm, PointsRuleForm
from ..models import Claim, ClaimState, Membership, Resource, Task
from ..services import claims as service
from .common import forbidden, page, workspace_view


@workspace_view("view", post_needs="contribute")
def claim(request, process, access, task_id):
    """A member claims a contribution to a task or one of its resources."""
    task = get_object_or_404(Task, process=process, pk=task_id)
    resources = list(Resource.objects.filter(task=task))
    form = ClaimForm(request.POST if request.method == "POST" else None, resources=resources)
    if request.method == "POST":
        if access.membership is None:
            return forbidden(request, process, access)
        if form.is_valid():
            data = form.cleaned_data
            chosen = next((r for r in resources if r.pk == data["resource"]), None)
            service.claim(access.membership, task, data["kind"], data["note"], resource=chosen)
            messages.success(request, _("Your claim was sent to the process admins."))
            return redirect("interlink_workspace:task", process.pk, task.pk)
    return page(
        request,
        "interlink_workspace/claim.html",
        process,
        access,
        {"task": task, "form": form},
        [form],
    )


@workspace_view("view", post_needs="manage")
def claims(request, process, access):
    """Every claim (admins acknowledge or decline), the points rule, the leaderboard opt-in."""
    rule_form = PointsRuleForm(
        request.POST if request.POST.get("action") == "rule" else None,
        rule=service.points_rule(process),
    )
    if rule_form.is_bound and rule_form.is_valid():
        service.set_points_rule(process, dict(rule_form.cleaned_data), request.user)
        messages.success(request, _("The points rule was saved."))
        return redirect("interlink_workspace:claims", process.pk)
    items = Claim.objects.filter(process=process).select_related("membership", "task", "resource")
    if not access.can_manage and access.membership is not None:
        items = items.filter(membership=access.membership)
    return page(
        request,
        "interlink_workspace/claims.html",
        process,
        access,
        {
            "claims": items[:200],
            "rule_form": rule_form,
            "pending": ClaimState.PENDING,
        },
        [rule_form],
    )


@workspace_view("manage")
@require_POST
def decide(request, process, access, claim_id):
    item = get_object_or_404(
        Claim.objects.select_related("process", "membership"), process=process, pk=claim_id
    )
    accept = request.POST.get("decision") == "acknowledge"
    service.decide(item, accept, request.user)
    messages.success(
        request,
        _("The claim was acknowledged.") if accept else _("The claim was declined."),
    )
    return redirect("interlink_workspace:claims", process.pk)


@workspace_view("view")
def leaderboard(request, process, access):
    """Points per member, for those who agreed to appear; each member decides for themself."""
    form = LeaderboardForm(
        request.POST if request.method == "POST" else None,
        initial={
            "on_leaderboard": access.membership.on_leaderboard if access.membership else False
        },
    )
    if request.method == "POST":
        if access.membership is None:
            return forbidden(request, process, access)
        if form.is_valid():
            Membership.objects.filter(pk=access.membership.pk).update(
                on_leaderboard=form.cleaned_data["on_leaderboard"]
            )
            messages.success(request, _("Your choice was saved."))
            return redirect("interlink_workspace:leaderboard", process.pk)
    return page(
        request,
        "interlink_workspace/leaderboard.html",
        process,
        access,
        {"ranking": service.leaderboard(process), "form": form},
        [form],
    )
