"""The participation section of a call page, rendered through core's page-sections hook."""

from django.contrib.messages import get_messages
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from . import conf
from .forms import ContributionForm
from .identity import current_participant
from .models import Contribution, Support, TeamRequestState


def render_call_section(request, call) -> str:
    participant = current_participant(request) if request is not None else None
    contributions = list(Contribution.objects.public_for(call))
    supported: set[int | None] = set()
    if participant is not None:
        supported = set(
            Support.objects.filter(participant=participant, call=call).values_list(
                "contribution_id", flat=True
            )
        )
    counts = call.supports.aggregate(call_supports=Count("pk", filter=Q(contribution__isnull=True)))
    context = {
        "call": call,
        "participant": participant,
        "contributions": contributions,
        "supported_ids": supported,
        "supports_call": None in supported,
        "call_supports": counts["call_supports"],
        "team_members": call.team_requests.filter(
            state=TeamRequestState.ACCEPTED, list_publicly=True
        ).select_related("participant"),
        "reports_to_hide": conf.get("PARTICIPATION_REPORTS_TO_HIDE"),
    }
    if call.accepts_contributions:
        context["form"] = ContributionForm(call=call, needs_email=participant is None)
    # A plain context, not a RequestContext: the page around this section already ran the
    # context processors, and running them again cost a third of the call page's time.
    if request is not None:
        context.update(
            request=request,
            csrf_token=get_token(request),
            user=request.user,
            messages=get_messages(request),
        )
    return render_to_string("participation/call_section.html", context)
