"""A person's own data: download it, delete it, and delete what outlived its retention period."""

import datetime
import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from .. import conf
from ..models import (
    Contribution,
    ContributionState,
    NotificationEvent,
    Participant,
    TeamRequest,
    TeamRequestState,
)
from .contributions import after_state_change

logger = logging.getLogger(__name__)


# Other apps (accounts, the workspace) add what they store about a person through these
# hooks: ``interlink_personal_data`` functions get the participant and return a dict of
# sections to add; ``interlink_delete_personal_data`` functions delete theirs (called with
# ``requested=False`` when the retention period ran out rather than the person asking).
PERSONAL_DATA_HOOK = "interlink_personal_data"
DELETE_PERSONAL_DATA_HOOK = "interlink_delete_personal_data"


def personal_data(participant: Participant) -> dict:
    """Everything stored about a person, as JSON-ready data (the self-service download)."""
    data = _participation_data(participant)
    for hook in hooks.get_hooks(PERSONAL_DATA_HOOK):
        data.update(hook(participant))
    return data


def _participation_data(participant: Participant) -> dict:

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
                "name_listed": t.name,
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
def delete_participant(
    participant: Participant, *, keep_approved: bool = True, requested: bool = True
) -> None:
    """Deletes a person and their data. Approved contributions stay, as "deleted participant",
    unless ``keep_approved`` is False; everything else they wrote goes with them, except the
    text-less place of a contribution others replied to (see ``release_contributions``)."""
    release_contributions(participant, keep_approved=keep_approved)
    forget_mail_to(participant.email)
    logger.info("Privacy: participant %s deleted (keep_approved=%s)", participant.pk, keep_approved)
    # Supports, subscriptions, team requests (and notifications about them) cascade.
    participant.delete()
    # Then what other apps keep about the person (an account, workspace memberships).
    # ``requested``: the person asked (not the retention period running out).
    for hook in hooks.get_hooks(DELETE_PERSONAL_DATA_HOOK):
        hook(participant, requested=requested)


def release_contributions(participant: Participant, *, keep_approved: bool = True) -> None:
    """Detaches a person's contributions before the person is deleted (from anywhere).

    - approved ones, when kept, become "deleted participant";
    - one that others replied to (or that keeps a reply of theirs) stays as a placeholder:
      withdrawn, its title and text erased, no author, so the replies keep their place;
    - the others are deleted.

    Other apps hear of every contribution that stops being public (``contribution_withdrawn``).
    """
    # Replies first (one level deep): whether a parent still has replies depends on them.
    mine = sorted(participant.contributions.all(), key=lambda c: c.parent_id is None)
    for contribution in mine:
        contribution.participant = None
        if keep_approved and contribution.state == ContributionState.APPROVED:
            contribution.author_name, contribution.anonymous = "", False
            contribution.author_deleted = True
            contribution.save(
                update_fields=["participant", "author_name", "anonymous", "author_deleted"]
            )
        else:
            erase_contribution(contribution)


def erase_contribution(contribution: Contribution) -> None:
    """Deletes a contribution at its author's request; if others replied to it, keeps its
    place instead (withdrawn, without title, text or author) so their replies stay."""
    if contribution.replies.exists():
        _keep_as_placeholder(contribution)
    else:
        remove_contribution(contribution)


def _keep_as_placeholder(contribution: Contribution) -> None:
    was_visible = contribution.is_visible
    contribution.state = ContributionState.WITHDRAWN
    contribution.title, contribution.body = "", ""
    contribution.author_name, contribution.anonymous = "", False
    contribution.author_deleted = True
    contribution.save(
        update_fields=[
            "state",
            "title",
            "body",
            "participant",
            "author_name",
            "anonymous",
            "author_deleted",
        ]
    )
    after_state_change(contribution, was_visible)


def remove_contribution(contribution: Contribution) -> None:
    """Deletes a contribution at its author's request (or past its wait for confirmation)."""
    if contribution.is_visible:
        contribution.state = ContributionState.WITHDRAWN  # gone at its author's request
        after_state_change(contribution, was_visible=True)
    contribution.delete()


def prune(now: datetime.datetime | None = None) -> dict[str, int]:
    """Deletes what outlived its retention period (``manage.py prune_participation_data``).

    - unconfirmed submissions past ``PARTICIPATION_UNCONFIRMED_DAYS``, and addresses typed
      into a form but never confirmed;
    - people inactive for ``PARTICIPATION_RETENTION_DAYS``, with or without an account (the
      account itself is the site's, not participation's: only its participation data goes);
    - notifications already sent to call contacts;
    - the participation mails kept by the database task queue (see ``prune_mail_results``).
    """
    now = now or timezone.now()
    unconfirmed_before = now - datetime.timedelta(days=conf.get("PARTICIPATION_UNCONFIRMED_DAYS"))
    stale = list(
        Contribution.objects.filter(
            state=ContributionState.UNCONFIRMED, created_at__lt=unconfirmed_before
        )
    )
    for contribution in stale:
        remove_contribution(contribution)
    TeamRequest.objects.filter(
        state=TeamRequestState.UNCONFIRMED, created_at__lt=unconfirmed_before
    ).delete()
    # Fediverse supporters have neither address nor account: only inactivity removes them.
    never_confirmed = Participant.objects.filter(
        user__isnull=True,
        email__isnull=False,
        email_confirmed_at__isnull=True,
        created_at__lt=unconfirmed_before,
    )
    inactive_before = now - datetime.timedelta(days=conf.get("PARTICIPATION_RETENTION_DAYS"))
    expired = Participant.objects.filter(last_active_at__lt=inactive_before)
    people = 0
    for participant in (never_confirmed | expired).distinct():
        delete_participant(participant, keep_approved=True, requested=False)
        people += 1
    events, _details = NotificationEvent.objects.filter(sent_at__isnull=False).delete()
    return {
        "unconfirmed_contributions": len(stale),
        "participants": people,
        "notification_events": events,
        "mail_task_results": prune_mail_results(now),
    }


def _mail_results():
    """The database queue's results of participation mails (None without django_tasks_db).

    They hold each message's recipients, text and links: once a mail is sent they are of no
    use to anyone, so they are not kept as long as django_tasks_db's own pruning would.
    """
    if not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult

    from ..tasks import send_email

    return DBTaskResult.objects.filter(task_path=send_email.module_path)


def prune_mail_results(now: datetime.datetime | None = None) -> int:
    """Deletes sent participation mails from the task queue, and failed ones once their
    links have expired (``PARTICIPATION_LINK_MAX_AGE_DAYS``); mails still to send stay."""
    results = _mail_results()
    if results is None:
        return 0
    now = now or timezone.now()
    failed_before = now - datetime.timedelta(days=conf.get("PARTICIPATION_LINK_MAX_AGE_DAYS"))
    deleted, _details = (
        results.successful() | results.failed().filter(finished_at__lt=failed_before)
    ).delete()
    return deleted


def forget_mail_to(email: str | None) -> int:
    """Deletes the finished participation mails to ``email`` kept by the task queue."""
    results = _mail_results()
    if results is None or not email:
        return 0
    finished = results.successful() | results.failed()
    ids = [
        result.pk
        for result in finished.only("pk", "args_kwargs")
        if email in _recipients(result.args_kwargs)
    ]
    deleted, _details = finished.filter(pk__in=ids).delete()
    return deleted


def _recipients(args_kwargs) -> list[str]:
    """The ``to`` argument of a ``send_email`` task, positional or by keyword."""
    args, kwargs = args_kwargs.get("args") or [], args_kwargs.get("kwargs") or {}
    to = kwargs.get("to", args[2] if len(args) > 2 else [])
    return [address.strip().lower() for address in to] if isinstance(to, list) else []
