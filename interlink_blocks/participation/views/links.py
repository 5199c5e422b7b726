"""Views reached from mailed links: confirmations, one-click unsubscribe, personal data."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from interlink_blocks.models import CallPage

from .. import conf, emails, ratelimit, tokens
from ..forms import DataRequestForm, DeleteDataForm
from ..identity import remember
from ..models import Contribution, Participant, Subscription, TeamRequest
from ..services import contributions as contribution_service
from ..services import engagement, privacy
from .common import ALREADY_DECIDED, TOO_MANY, call_url, closed, form_page, get_call


def _invalid(request):
    return render(
        request,
        "interlink_participation/message.html",
        {"message": _("This link is invalid or has expired. Please start again from the call.")},
        status=400,
    )


# What the confirmation page asks the person to confirm, per kind of mailed link.
CONFIRM_QUESTIONS = {
    "contribution": gettext_lazy("Confirm your contribution so that it goes to moderation."),
    "team": gettext_lazy("Confirm your request to join the call's team."),
    "support": gettext_lazy("Confirm your support."),
    "subscribe": gettext_lazy("Confirm that you want to receive this call's updates."),
}


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Confirms what a mailed link stands for and remembers the person in this session.

    GET only shows a button: mail scanners (Safe Links and the like) open every link in a
    message, and must not be able to confirm a contribution or add a support on behalf of
    whoever's address was typed into a form. The button POSTs back here.
    """
    try:
        payload = tokens.read(token)
    except tokens.InvalidLink:
        return _invalid(request)
    if payload["a"] not in CONFIRM_QUESTIONS:
        return _invalid(request)
    if request.method == "GET":
        return render(
            request,
            "interlink_participation/confirm.html",
            {"question": CONFIRM_QUESTIONS[payload["a"]], "call": _call_of(payload)},
        )
    return _act_on(request, payload)


def _call_of(payload):
    """The call a link concerns, for the page's way back (``None`` if it is gone)."""
    if "call" in payload:
        return CallPage.objects.live().public().filter(pk=payload["call"]).first()
    model, key = (Contribution, "c") if payload["a"] == "contribution" else (TeamRequest, "t")
    item = model.objects.select_related("call").filter(pk=payload.get(key)).first()
    return item.call if item else None


def _act_on(request, payload):
    action = payload["a"]
    if action == "contribution":
        contribution = (
            Contribution.objects.select_related("participant", "call")
            .filter(pk=payload["c"])
            .first()
        )
        if contribution is None or contribution.participant is None:
            return _invalid(request)
        contribution_service.confirm(contribution)
        remember(request, contribution.participant)
        messages.success(
            request, _("Confirmed. Your contribution will appear once a moderator approves it.")
        )
        return redirect(call_url(contribution.call))
    if action == "team":
        team_request = (
            TeamRequest.objects.select_related("participant", "call")
            .filter(pk=payload["t"])
            .first()
        )
        if team_request is None:
            return _invalid(request)
        call = team_request.call
        remember(request, team_request.participant)
        if engagement.confirm_team_request(team_request).is_decided:
            messages.info(request, ALREADY_DECIDED)
        else:
            messages.success(request, _("Confirmed. The call's team will answer your request."))
        return redirect(call_url(call))
    if action in ("support", "subscribe"):
        call = get_call(payload["call"])
        participant = Participant.objects.filter(pk=payload["p"]).first()
        if participant is None:
            return _invalid(request)
        participant.confirm()
        remember(request, participant)
        if action == "subscribe":
            engagement.subscribe(participant, call)
            messages.success(request, _("Confirmed. You will receive this call's updates."))
            return redirect(call_url(call))
        if not call.accepts_contributions:
            return closed(request, call)
        contribution = None
        if payload.get("c"):
            contribution = Contribution.objects.supportable(call).filter(pk=payload["c"]).first()
            if contribution is None:
                return _invalid(request)
        if engagement.add_support(participant, call, contribution):
            messages.success(request, _("Confirmed. Thank you for your support!"))
        else:
            messages.info(request, _("You already support this. Each person supports once."))
        return redirect(call_url(call))
    return _invalid(request)


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a CSRF token; the link is signed.
def unsubscribe(request, token):
    try:
        payload = tokens.read(token, "unsubscribe", expires=False)
    except tokens.InvalidLink:
        return _invalid(request)
    subscription = Subscription.objects.select_related("call").filter(pk=payload["s"]).first()
    call = subscription.call if subscription else None
    engagement.unsubscribe(payload["s"])
    return render(request, "interlink_participation/unsubscribed.html", {"call": call})


def data_request(request):
    """Mails a personal-data link to an address, saying the same whether or not we know it."""
    form = DataRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.allow(request, request.POST.get("email", "")):
            form.full_clean()
            form.rate_limited = True
            form.add_error(None, TOO_MANY)
        elif form.is_valid():
            participant = Participant.objects.filter(
                email=form.cleaned_data["email"].strip().lower()
            ).first()
            if participant:
                emails.queue(
                    "data_link",
                    [participant.email],
                    {
                        "data_url": emails.link(
                            "interlink_participation:my_data", tokens.make("data", p=participant.pk)
                        )
                    },
                )
            return render(
                request,
                "interlink_participation/message.html",
                {"message": _("If we hold data for this address, we have sent it a link.")},
            )
    return form_page(
        request,
        "interlink_participation/data_request.html",
        {"form": form, "retention_days": conf.get("PARTICIPATION_RETENTION_DAYS")},
        form,
    )


def _participant_from(token):
    payload = tokens.read(token, "data")
    participant = Participant.objects.filter(pk=payload["p"]).first()
    if participant is None:
        raise tokens.InvalidLink("gone")
    return participant


def my_data(request, token):
    """The page a data link opens: download, or delete with or without approved contributions."""
    try:
        participant = _participant_from(token)
    except tokens.InvalidLink:
        return _invalid(request)
    form = DeleteDataForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.delete_participant(
            participant, keep_approved=not form.cleaned_data["delete_approved"]
        )
        request.session.flush()
        return render(
            request,
            "interlink_participation/message.html",
            {"message": _("Your data has been deleted.")},
        )
    return form_page(
        request, "interlink_participation/my_data.html", {"form": form, "token": token}, form
    )


def my_data_download(request, token):
    try:
        participant = _participant_from(token)
    except tokens.InvalidLink:
        return _invalid(request)
    return personal_data_response(participant)


def personal_data_response(participant) -> HttpResponse:
    response = HttpResponse(
        json.dumps(privacy.personal_data(participant), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-participation-data.json"'
    return response
