"""Supports, team requests and subscriptions: one per person, confirmed by e-mail when needed."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import emails, signals
from ..models import Participant, Subscription, Support, TeamRequest, TeamRequestState
from .notify import notify_contact

logger = logging.getLogger(__name__)


def add_support(participant: Participant, call, contribution=None) -> bool:
    """Records a support; False if this person already supports the same thing."""
    try:
        with transaction.atomic():
            Support.objects.create(participant=participant, call=call, contribution=contribution)
    except IntegrityError:
        return False
    participant.touch()
    return True


def withdraw_support(participant: Participant, call, contribution=None) -> bool:
    deleted, _details = Support.objects.filter(
        participant=participant, call=call, contribution=contribution
    ).delete()
    return bool(deleted)


def has_supported(participant: Participant | None, call, contribution=None) -> bool:
    if participant is None:
        return False
    return Support.objects.filter(
        participant=participant, call=call, contribution=contribution
    ).exists()


def request_support_confirmation(email: str, call, contribution=None) -> None:
    emails.queue(
        "confirm_support",
        [email],
        {
            "call": call,
            "contribution": contribution,
            "confirm_url": emails.confirm_link(
                "support",
                p=Participant.objects.for_email(email).pk,
                call=call.pk,
                c=contribution.pk if contribution else None,
            ),
        },
    )


def request_team(call, participant: Participant, cleaned: dict, confirmed: bool) -> TeamRequest:
    """A request to join the co-production team; returns the request it concerns.

    From a confirmed person (account or confirmed session) it takes effect at once: a new
    request, or an update of theirs still waiting for a decision. From a typed address it is
    stored apart, ``unconfirmed``, and changes nothing (not the person's name, not their
    request) until the mailed link is confirmed. A decided request is never changed by it:
    the returned request is then the decided one.
    """
    values = {
        "role": cleaned["role"],
        "motivation": cleaned["motivation"],
        "list_publicly": cleaned.get("list_publicly", False),
        "name": cleaned.get("name", "").strip(),
    }
    if confirmed:
        return _apply_team_request(call, participant, values)
    unconfirmed = TeamRequest.objects.create(
        call=call, participant=participant, state=TeamRequestState.UNCONFIRMED, **values
    )
    emails.queue(
        "confirm_team",
        [participant.email],
        {"call": call, "confirm_url": emails.confirm_link("team", t=unconfirmed.pk)},
    )
    return unconfirmed


@transaction.atomic
def _apply_team_request(call, participant, values: dict, unconfirmed=None) -> TeamRequest:
    """What a confirmed person asked: create their request, or update it while undecided.

    ``unconfirmed`` is the stored request they just confirmed: it becomes their request, or
    is merged into the one they already had and deleted.
    """
    current = (
        TeamRequest.objects.select_for_update()
        .filter(call=call, participant=participant)
        .exclude(state=TeamRequestState.UNCONFIRMED)
        .first()
    )
    if unconfirmed is not None and current is not None:
        unconfirmed.delete()
    if current is not None and current.is_decided:
        logger.info("Team: request %s already decided; left unchanged", current.pk)
        return current
    if current is None:
        current = unconfirmed or TeamRequest(call=call, participant=participant)
    for field, value in values.items():
        setattr(current, field, value)
    current.state = TeamRequestState.PENDING
    current.save()
    participant.touch(values["name"])
    announce_team_request(current)
    return current


def announce_team_request(team_request: TeamRequest) -> None:
    notify_contact(team_request.call, team_request=team_request)


def confirm_team_request(team_request: TeamRequest) -> TeamRequest:
    """The person followed the mailed link: what they sent now takes effect (see
    ``request_team``). Returns their request, which may be one decided earlier."""
    if team_request.state != TeamRequestState.UNCONFIRMED:
        return team_request
    participant = team_request.participant
    participant.confirm()
    values = {
        field: getattr(team_request, field)
        for field in ("role", "motivation", "list_publicly", "name")
    }
    return _apply_team_request(team_request.call, participant, values, unconfirmed=team_request)


def decide_team_request(team_request: TeamRequest, accept: bool) -> bool:
    """Staff accept or decline a request (or change their decision); the person is mailed.

    Returns False, changing nothing, for a request not confirmed by its author yet or one
    already in that state.
    """
    state = TeamRequestState.ACCEPTED if accept else TeamRequestState.DECLINED
    if team_request.state in (TeamRequestState.UNCONFIRMED, state):
        return False
    team_request.state = state
    team_request.decided_at = timezone.now()
    team_request.save(update_fields=["state", "decided_at"])
    signals.team_request_decided.send(
        sender=TeamRequest, team_request=team_request, accepted=accept
    )
    if team_request.participant.email:
        emails.queue(
            "team_decision",
            [team_request.participant.email],
            {"call": team_request.call, "team_request": team_request, "accepted": accept},
            language=emails.call_language(team_request.call),
        )
    return True


def subscribe(participant: Participant, call) -> Subscription:
    subscription, _created = Subscription.objects.get_or_create(participant=participant, call=call)
    participant.touch()
    return subscription


def request_subscription_confirmation(email: str, call) -> None:
    emails.queue(
        "confirm_subscription",
        [email],
        {
            "call": call,
            "confirm_url": emails.confirm_link(
                "subscribe", p=Participant.objects.for_email(email).pk, call=call.pk
            ),
        },
    )


def unsubscribe(subscription_id: int) -> bool:
    deleted, _details = Subscription.objects.filter(pk=subscription_id).delete()
    return bool(deleted)
