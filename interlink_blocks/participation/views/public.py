"""Public participation views: thin wrappers around forms and ``services``."""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import ratelimit
from ..forms import ContributionForm, EmailOnlyForm, ReportForm, TeamRequestForm
from ..identity import current_participant
from ..models import Contribution, ContributionState, Participant
from ..services import contributions as contribution_service
from ..services import engagement
from .common import ALREADY_DECIDED, TOO_MANY, call_url, closed, form_page, get_call


def _rate_limited(request, form) -> bool:
    """Counts this POST; when over a limit, says so on the form."""
    if ratelimit.allow(request, request.POST.get("email", "")):
        return False
    form.rate_limited = True
    form.full_clean()  # add_error needs cleaned data to exist
    form.add_error(None, TOO_MANY)
    return True


def contribute(request, call_id):
    call = get_call(call_id)
    if not call.accepts_contributions:
        return closed(request, call)
    participant = current_participant(request)
    form = ContributionForm(
        request.POST if request.method == "POST" else None,
        call=call,
        needs_email=participant is None,
        initial={
            "parent": request.GET.get("reply_to"),
            "name": getattr(participant, "display_name", ""),
        },
    )
    if request.method == "POST" and not _rate_limited(request, form) and form.is_valid():
        contribution = contribution_service.submit(call, form.cleaned_data, participant)
        if contribution.state == ContributionState.UNCONFIRMED:
            messages.success(
                request,
                _(
                    "Thank you! We sent you an e-mail: follow its link to confirm your contribution."
                ),
            )
        else:
            messages.success(
                request, _("Thank you! Your contribution will appear once a moderator approves it.")
            )
        return redirect(call_url(call))
    parent = form.fields["parent"].queryset.filter(pk=form["parent"].value() or None).first()
    return form_page(
        request,
        "interlink_participation/contribute.html",
        {"call": call, "form": form, "parent": parent},
        form,
    )


def support(request, call_id, contribution_id=None):
    """Adds or withdraws one person's support; asks an unknown visitor for an address first."""
    call = get_call(call_id)
    contribution = None
    if contribution_id:
        contribution = get_object_or_404(Contribution.objects.supportable(call), pk=contribution_id)
    participant = current_participant(request)
    # Withdrawing one's own support stays possible on a closed call; nothing else does.
    withdrawing = request.POST.get("action") == "withdraw" and participant is not None
    if not withdrawing and not call.accepts_contributions:
        return closed(request, call)
    if participant is not None:
        if request.method != "POST":
            return redirect(call_url(call))
        if withdrawing:
            engagement.withdraw_support(participant, call, contribution)
            messages.success(request, _("Your support was withdrawn."))
        elif engagement.add_support(participant, call, contribution):
            messages.success(request, _("Thank you for your support!"))
        else:
            messages.info(request, _("You already support this. Each person supports once."))
        return redirect(
            call_url(call, f"contribution-{contribution.pk}" if contribution else "participation")
        )
    bound = request.method == "POST" and "email" in request.POST
    form = EmailOnlyForm(request.POST if bound else None)
    if bound and not _rate_limited(request, form) and form.is_valid():
        engagement.request_support_confirmation(form.cleaned_data["email"], call, contribution)
        messages.success(
            request, _("We sent you an e-mail: follow its link to confirm your support.")
        )
        return redirect(call_url(call))
    return form_page(
        request,
        "interlink_participation/support.html",
        {"call": call, "contribution": contribution, "form": form},
        form,
    )


def join(request, call_id):
    call = get_call(call_id)
    if not call.accepts_contributions:
        return closed(request, call)
    participant = current_participant(request)
    form = TeamRequestForm(
        request.POST if request.method == "POST" else None, needs_email=participant is None
    )
    if request.method == "POST" and not _rate_limited(request, form) and form.is_valid():
        if participant is None:
            # Same answer whatever is known about the address: the mail tells its owner.
            person = Participant.objects.for_email(form.cleaned_data["email"])
            engagement.request_team(call, person, form.cleaned_data, confirmed=False)
            messages.success(
                request, _("We sent you an e-mail: follow its link to confirm your request.")
            )
        else:
            team_request = engagement.request_team(
                call, participant, form.cleaned_data, confirmed=True
            )
            if team_request.is_decided:
                messages.info(request, ALREADY_DECIDED)
            else:
                messages.success(request, _("Thank you! The call's team will answer your request."))
        return redirect(call_url(call))
    return form_page(
        request, "interlink_participation/join.html", {"call": call, "form": form}, form
    )


def subscribe(request, call_id):
    call = get_call(call_id)
    participant = current_participant(request)
    if participant is not None and request.method == "POST":
        engagement.subscribe(participant, call)
        messages.success(request, _("You will receive this call's updates by e-mail."))
        return redirect(call_url(call))
    bound = request.method == "POST" and "email" in request.POST
    form = EmailOnlyForm(request.POST if bound else None)
    if bound and not _rate_limited(request, form) and form.is_valid():
        engagement.request_subscription_confirmation(form.cleaned_data["email"], call)
        messages.success(request, _("We sent you an e-mail: follow its link to confirm."))
        return redirect(call_url(call))
    return form_page(
        request, "interlink_participation/subscribe.html", {"call": call, "form": form}, form
    )


def report(request, contribution_id):
    contribution = get_object_or_404(
        Contribution, pk=contribution_id, state=ContributionState.APPROVED
    )
    call = get_call(contribution.call_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not _rate_limited(request, form) and form.is_valid():
        key = contribution_service.reporter_key(request)
        if contribution_service.report(contribution, key, form.cleaned_data["reason"]):
            messages.success(request, _("Thank you. A moderator will review this contribution."))
        else:
            messages.info(request, _("You already reported this contribution."))
        return redirect(call_url(call))
    return form_page(
        request,
        "interlink_participation/report.html",
        {"call": call, "contribution": contribution, "form": form},
        form,
    )


@require_POST
def withdraw(request, contribution_id):
    contribution = get_object_or_404(Contribution, pk=contribution_id)
    participant = current_participant(request)
    if participant is None or contribution.participant_id != participant.pk:
        return HttpResponseForbidden(_("Only its author can withdraw a contribution."))
    contribution_service.withdraw(contribution)
    messages.success(request, _("Your contribution was withdrawn."))
    return redirect(call_url(contribution.call))


def render_message(request, message: str, status: int = 200):
    return render(
        request, "interlink_participation/message.html", {"message": message}, status=status
    )
