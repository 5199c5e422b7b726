"""A person's own data: download it, delete it, and delete what outlived its retention period."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from .. import conf
from ..models import Contribution, ContributionState, Participant
from .contributions import after_state_change

logger = logging.getLogger(__name__)


def personal_data(participant: Participant) -> dict:
    """Everything stored about a person, as JSON-ready data (the self-service download)."""

    def when(value):
        return value.isoformat() if value else None

    return {
        "participant": {
            "email": participant.email,
            "name": participant.display_name,
            "account": participant.user.get_username() if participant.user else None,
            "email_confirmed_at": when(participant.email_confirmed_at),
            "created_at": when(participant.created_at),
            "last_active_at": when(participant.last_active_at),
        },
        "contributions": [
            {
                "id": str(c.uuid),
                "call": c.call.title,
                "kind": c.kind,
                "title": c.title,
                "text": c.body,
                "name_shown": c.public_author,
                "state": c.state,
                "created_at": when(c.created_at),
            }
            for c in participant.contributions.select_related("call")
        ],
        "supports": [
            {
                "call": s.call.title,
                "contribution": str(s.contribution.uuid) if s.contribution else None,
                "created_at": when(s.created_at),
            }
            for s in participant.supports.select_related("call", "contribution")
        ],
        "team_requests": [
            {
                "call": t.call.title,
                "role": t.role,
                "motivation": t.motivation,
                "listed_publicly": t.list_publicly,
                "state": t.state,
                "created_at": when(t.created_at),
            }
            for t in participant.team_requests.select_related("call")
        ],
        "subscriptions": [
            {"call": s.call.title, "created_at": when(s.created_at)}
            for s in participant.subscriptions.select_related("call")
        ],
    }


@transaction.atomic
def delete_participant(participant: Participant, *, keep_approved: bool = True) -> None:
    """Deletes a person and their data. Approved contributions stay, as "deleted participant",
    unless ``keep_approved`` is False; everything else they wrote goes with them."""
    if not keep_approved:
        for contribution in participant.contributions.filter(state=ContributionState.APPROVED):
            contribution.state = ContributionState.WITHDRAWN  # gone at its author's request
            after_state_change(contribution, was_visible=True)
        participant.contributions.all().delete()
    # The pre_delete receiver keeps what remains approved as "deleted participant".
    logger.info("Privacy: participant %s deleted (keep_approved=%s)", participant.pk, keep_approved)
    participant.delete()


def prune(now: datetime.datetime | None = None) -> dict[str, int]:
    """Deletes unconfirmed submissions past their wait and people inactive past retention."""
    now = now or timezone.now()
    unconfirmed_before = now - datetime.timedelta(days=conf.get("PARTICIPATION_UNCONFIRMED_DAYS"))
    stale = Contribution.objects.filter(
        state=ContributionState.UNCONFIRMED, created_at__lt=unconfirmed_before
    )
    stale_count, _details = stale.delete()
    never_confirmed = Participant.objects.filter(
        user__isnull=True, email_confirmed_at__isnull=True, created_at__lt=unconfirmed_before
    )
    inactive_before = now - datetime.timedelta(days=conf.get("PARTICIPATION_RETENTION_DAYS"))
    expired = Participant.objects.filter(user__isnull=True, last_active_at__lt=inactive_before)
    people = 0
    for participant in (never_confirmed | expired).distinct():
        delete_participant(participant, keep_approved=True)
        people += 1
    return {"unconfirmed_contributions": stale_count, "participants": people}
