"""Telling members what concerns them, by e-mail: at once or in a daily digest, as each chose.

Recipients never include the person who made the change. Mails are written in the member's
language (``NotificationSettings.language``, else the call's), when they are sent: a digest
describes its items as they are then (a message hidden since is left out).
"""

import datetime
import logging
from contextlib import suppress

from django.urls import reverse
from django.utils import timezone, translation

from interlink_blocks.participation import emails
from interlink_blocks.sanitise import plain_text

from ..models import (
    Activity,
    Membership,
    Message,
    MessageState,
    Notification,
    NotificationSettings,
    NotifyKind,
    NotifyMode,
)
from ..models.discussion import DEFAULT_MODES
from .log import describe

logger = logging.getLogger(__name__)


def settings_of(membership: Membership) -> NotificationSettings:
    """The member's choices (unsaved defaults when they never chose)."""
    with suppress(NotificationSettings.DoesNotExist):
        return membership.notify
    return NotificationSettings(membership=membership, modes={})


def save_settings(membership: Membership, modes: dict[str, str], language: str) -> None:
    valid = {k: v for k, v in modes.items() if k in NotifyKind.values and v in NotifyMode.values}
    NotificationSettings.objects.update_or_create(
        membership=membership, defaults={"modes": valid, "language": language}
    )


def language_of(membership: Membership) -> str:
    chosen = settings_of(membership).language
    return chosen or emails.call_language(membership.process.call)


def notify(memberships, kind: str, *, actor=None, activity=None, message=None) -> int:
    """Tells each of ``memberships`` (but the actor) about ``activity`` or ``message``, as
    each chose for ``kind``; returns how many were told or queued for a digest."""
    actor_id = getattr(actor, "pk", None)
    told = 0
    for membership in memberships:
        if membership.user_id == actor_id or not membership.user.email:
            continue
        mode = settings_of(membership).mode(kind)
        if mode == NotifyMode.DIGEST:
            Notification.objects.create(
                membership=membership, kind=kind, activity=activity, message=message
            )
        elif mode == NotifyMode.IMMEDIATELY:
            _mail_now(membership, kind, activity, message)
        else:
            continue
        told += 1
    return told


def _mail_now(membership, kind, activity, message) -> None:
    language = language_of(membership)
    with translation.override(language):
        item = _item(membership, kind, activity, message)
    if item is None:
        return
    emails.queue(
        "interlink_workspace/emails/notice",
        [membership.user.email],
        {"call": membership.process.call, "item": item, **_links(membership)},
        language=language,
    )


def _links(membership) -> dict:
    path = reverse("interlink_workspace:notifications", args=[membership.process_id])
    return {"settings_url": emails.absolute(path)}


def _item(membership, kind, activity: Activity | None, message: Message | None) -> dict | None:
    """What one notification says, in the active language; None when there is nothing to
    say any more (the message was hidden)."""
    process_id = membership.process_id
    if message is not None:
        if message.state != MessageState.VISIBLE:
            return None
        author = message.author.name if message.author else ""
        url = reverse("interlink_workspace:discussion", args=[process_id, message.task_id])
        return {
            "kind": str(NotifyKind(kind).label),
            "summary": translation.gettext("%(name)s mentioned you in “%(task)s”")
            % {"name": author or translation.gettext("Someone"), "task": message.task.title},
            "text": plain_text(message.body, 500),
            "url": emails.absolute(f"{url}#message-{message.pk}"),
        }
    if activity is None:
        return None
    url = (
        reverse("interlink_workspace:task", args=[process_id, activity.task_id])
        if activity.task_id
        else reverse("interlink_workspace:claims", args=[process_id])
    )
    return {
        "kind": str(NotifyKind(kind).label),
        "summary": describe(activity),
        "text": "",
        "url": emails.absolute(url),
    }


def send_digests() -> int:
    """Mails each member the notifications collected since their last digest; returns the
    number of mails."""
    pending = list(
        Notification.objects.filter(sent_at__isnull=True)
        .select_related(
            "membership__user",
            "membership__process__call",
            "membership__notify",
            "activity",
            "message__task",
            "message__author",
        )
        .order_by("membership_id", "created_at", "pk")
    )
    by_member: dict[int, list[Notification]] = {}
    for item in pending:
        by_member.setdefault(item.membership_id, []).append(item)
    sent = 0
    for items in by_member.values():
        membership = items[0].membership
        language = language_of(membership)
        with translation.override(language):
            described = [_item(membership, n.kind, n.activity, n.message) for n in items]
        described = [d for d in described if d is not None]
        if described and membership.user.email:
            emails.queue(
                "interlink_workspace/emails/digest",
                [membership.user.email],
                {"call": membership.process.call, "items": described, **_links(membership)},
                language=language,
            )
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=timezone.now())
    logger.info("Workspace digest: %d mail(s) for %d notification(s)", sent, len(pending))
    return sent


def daily() -> int:
    """The daily run (``interlink_daily_digest`` hook): sends the digests, prunes old items."""
    sent = send_digests()
    prune_sent()
    return sent


def prune_sent(days: int = 30) -> int:
    """Deletes digest items sent more than ``days`` ago."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    return Notification.objects.filter(sent_at__lt=cutoff).delete()[0]


__all__ = ["DEFAULT_MODES", "notify", "save_settings", "send_digests", "settings_of"]
