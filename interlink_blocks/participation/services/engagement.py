"""Supports, team requests and subscriptions: one per person, confirmed by e-mail when needed."""

import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
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
    """Creates (or updates a not yet decided) request to join the co-production team."""
    request, _created = TeamRequest.objects.update_or_create(
        call=call,
        participant=participant,
        defaults={
            "role": cleaned["role"],
            "motivation": cleaned["motivation"],
            "list_publicly": cleaned.get("list_publicly", False),
            "state": TeamRequestState.PENDING if confirmed else TeamRequestState.UNCONFIRMED,
        },
    )
    name = cleaned.get("name", "").strip()
    if name:
        participant.display_name = name
        participant.save(update_fields=["display_name"])
    if confirmed:
        announce_team_request(request)
    else:
        emails.queue(
            "confirm_team",
            [participant.email],
            {"call": call, "confirm_url": emails.confirm_link("team", t=request.pk)},
        )
    return request


def announce_team_request(team_request: TeamRequest) -> None:
    notify_contact(
        team_request.call,
        _("New request to join the team (%(role)s): %(name)s")
        % {"role": team_request.get_role_display(), "name": team_request.participant},
        reverse("wagtailsnippets_interlink_participation_teamrequest:edit", args=[team_request.pk]),
    )


def confirm_team_request(team_request: TeamRequest) -> bool:
    if team_request.state != TeamRequestState.UNCONFIRMED:
        return False
    team_request.state = TeamRequestState.PENDING
    team_request.save(update_fields=["state"])
    team_request.participant.confirm()
    announce_team_request(team_request)
    return True


def decide_team_request(team_request: TeamRequest, accept: bool) -> None:
    team_request.state = TeamRequestState.ACCEPTED if accept else TeamRequestState.DECLINED
    team_request.decided_at = timezone.now()
    team_request.save(update_fields=["state", "decided_at"])
    if team_request.participant.email:
        emails.queue(
            "team_decision",
            [team_request.participant.email],
            {"call": team_request.call, "team_request": team_request, "accepted": accept},
        )


def subscribe(participant: Participant, call) -> Subscription:
    subscription, _created = Subscription.objects.get_or_create(participant=participant, call=call)
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
