"""Claims of contribution, their acknowledgement and points, the leaderboard, certificates."""

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from ..models import (
    Certificate,
    Claim,
    ClaimState,
    Membership,
    NotifyKind,
    Process,
    ProcessRole,
    Verb,
)
from ..models.claims import DEFAULT_POINTS
from . import notify
from .log import record


def points_rule(process: Process) -> dict[str, int]:
    return {**DEFAULT_POINTS, **(process.points_rule or {})}


@transaction.atomic
def claim(membership: Membership, task, kind: str, note: str = "", resource=None) -> Claim:
    item = Claim.objects.create(
        process=membership.process,
        membership=membership,
        task=task,
        resource=resource,
        kind=kind,
        note=note,
    )
    entry = record(
        membership.process, membership.user, Verb.CLAIMED, task=task, subject=task.title, kind=kind
    )
    admins = membership.process.memberships.filter(role=ProcessRole.ADMIN).select_related("user")
    notify.notify(admins, NotifyKind.CLAIM, actor=membership.user, activity=entry)
    return item


@transaction.atomic
def decide(item: Claim, accept: bool, by) -> None:
    """A process admin acknowledges (points by the rule in force now) or declines a claim."""
    item.state = ClaimState.ACKNOWLEDGED if accept else ClaimState.DECLINED
    item.points = points_rule(item.process).get(item.kind, 0) if accept else 0
    item.decided_at, item.decided_by = timezone.now(), by
    item.save(update_fields=["state", "points", "decided_at", "decided_by"])
    entry = record(
        item.process,
        by,
        Verb.CLAIM_ACKNOWLEDGED if accept else Verb.CLAIM_DECLINED,
        task=item.task,
        subject=item.membership.name,
        kind=item.kind,
        member_user=item.membership.user_id,
    )
    notify.notify([item.membership], NotifyKind.CLAIM, actor=by, activity=entry)


@transaction.atomic
def set_points_rule(process: Process, rule: dict[str, int], by) -> None:
    process.points_rule = rule
    process.save(update_fields=["points_rule"])
    record(process, by, Verb.POINTS_RULE, subject="", **{"rule": rule})


def leaderboard(process: Process) -> list[Membership]:
    """Members who agreed to appear, by points from acknowledged claims (one query)."""
    return list(
        process.memberships.filter(on_leaderboard=True)
        .annotate(
            total=Sum("claims__points", filter=Q(claims__state=ClaimState.ACKNOWLEDGED), default=0)
        )
        .order_by("-total", "name")
    )


def issue_certificate(user, name: str) -> Certificate:
    """A certificate of what the person did in every process, as it stands now."""
    content = []
    for membership in Membership.objects.filter(user=user).select_related("process__call"):
        claims = membership.claims.filter(state=ClaimState.ACKNOWLEDGED).select_related("task")
        content.append(
            {
                "call": membership.process.call.title,
                "role": str(ProcessRole(membership.role).label),
                "since": membership.joined_at.date().isoformat(),
                "contributions": [
                    {"task": c.task.title, "kind": c.kind, "points": c.points} for c in claims
                ],
            }
        )
    return Certificate.objects.create(user=user, name=name, content=content)
