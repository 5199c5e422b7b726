"""The participation section of a call page, rendered through core's page-sections hook.

Most visitors are anonymous: for them the section (forms, contributions, supports, team)
is the same HTML for everyone but its CSRF token, so it is rendered once per call
revision, language, day state and fragment generation (``interlink_blocks.fragments``)
and each request puts its own token back. A signed-in person, a participant remembered
in the session or pending messages make it personal: it is then rendered fresh.
"""

from django.contrib.messages import get_messages
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from .. import fragments
from . import conf
from .forms import ContributionForm
from .identity import SESSION_KEY, current_participant
from .models import Contribution, Support, TeamRequestState


def render_call_section(request, call) -> str:
    if request is None or _is_personal(request):
        return _render(request, call, current_participant(request) if request else None)
    parts = fragments.cached(
        request,
        call,
        "participation",
        lambda: fragments.render_split(lambda token: _render(request, call, None, token)),
        vary=(call.accepts_contributions, call.is_past_deadline, call.has_opened),
    )
    return fragments.join_split(parts, get_token(request))


def _is_personal(request) -> bool:
    """Whether this visitor may see something others do not (their own support, messages)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY):
        return True
    # len() reads the pending messages without marking them as shown.
    return bool(len(get_messages(request)))


def _render(request, call, participant, csrf_token=None) -> str:
    contributions = list(Contribution.objects.public_for(call))
    supported: set[int | None] = set()
    if participant is not None:
        supported = set(
            Support.objects.filter(participant=participant, call=call).values_list(
                "contribution_id", flat=True
            )
        )
    # The visitor's own request to join the team, so they see it is waiting rather than
    # being offered to join again.
    team_request = None
    if participant is not None:
        team_request = (
            call.team_requests.filter(participant=participant)
            .exclude(state=TeamRequestState.DECLINED)
            .order_by("-created_at")
            .first()
        )
    counts = call.supports.aggregate(call_supports=Count("pk", filter=Q(contribution__isnull=True)))
    context = {
        "call": call,
        "participant": participant,
        "contributions": contributions,
        "contribution_count": sum(1 for c in contributions if c.is_visible),
        "supported_ids": supported,
        "supports_call": None in supported,
        "team_request": team_request,
        "call_supports": counts["call_supports"],
        "team_members": call.team_requests.filter(
            state=TeamRequestState.ACCEPTED, list_publicly=True
        ).exclude(name=""),
        "reports_to_hide": conf.get("PARTICIPATION_REPORTS_TO_HIDE"),
    }
    if call.accepts_contributions:
        context["form"] = ContributionForm(call=call, needs_email=participant is None)
    # A plain context, not a RequestContext: the page around this section already ran the
    # context processors, and running them again cost a third of the call page's time.
    if request is not None:
        context.update(
            request=request,
            csrf_token=csrf_token or get_token(request),
            user=request.user,
            messages=get_messages(request),
        )
    return render_to_string("interlink_participation/call_section.html", context)
