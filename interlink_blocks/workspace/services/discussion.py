"""Task discussions: posting (plain text, mentions), reporting and moderation."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from interlink_blocks.participation import conf as participation_conf
from interlink_blocks.sanitise import plain_text
from interlink_blocks.throttling import Budget, Verdict, first_refusal

from .. import conf
from ..models import (
    Membership,
    Message,
    MessageReport,
    MessageState,
    NotifyKind,
    Task,
    Verb,
)
from . import notify
from .log import record

logger = logging.getLogger(__name__)

MAX_LENGTH = 5000


def find_mentions(body: str, memberships) -> list[Membership]:
    """The members named as ``@Name`` in ``body`` (the name the team sees, any case).

    Names may have spaces, so at each ``@`` the longest member name that follows wins, and
    it must end at a word boundary (``@Ana`` does not mention "Anabel"); an ``@`` inside a
    word (an address) mentions nobody.
    """
    members = sorted((m for m in memberships if m.name), key=lambda m: len(m.name), reverse=True)
    folded = body.casefold()
    found: dict[int, Membership] = {}
    start = folded.find("@")
    while start != -1:
        before = folded[start - 1 : start]
        if before.isalnum() or before == "_":  # an address (me@ben.org), not a mention
            start = folded.find("@", start + 1)
            continue
        rest = folded[start + 1 :]
        for member in members:
            name = member.name.casefold()
            after = rest[len(name) : len(name) + 1]
            if rest.startswith(name) and not (after.isalnum() or after == "_"):
                found.setdefault(member.pk, member)
                break
        start = folded.find("@", start + 1)
    return list(found.values())


class OverBudget(Exception):
    """The author has posted, or mentioned, as much as ``WORKSPACE_MESSAGE_RATE_LIMITS`` allows
    for now; nothing was stored or sent."""

    def __init__(self, kind: str, verdict: Verdict) -> None:
        super().__init__(kind)
        self.kind = kind  # "posts" or "mentions"
        self.retry_after = verdict.retry_after


def _spend(user, mentions: int) -> None:
    """Counts one message and each mention against the author's budgets (per account, so a
    member of several processes has one budget); raises ``OverBudget`` over either."""
    limits = conf.get("WORKSPACE_MESSAGE_RATE_LIMITS")
    value = str(user.pk)
    posts = Budget("interlink_workspace:posts", tuple(limits["posts"])).hit(None, value)
    if not posts.allowed:
        raise OverBudget("posts", posts)
    budget = Budget("interlink_workspace:mentions", tuple(limits["mentions"]))
    # One hit per person mentioned: a message naming ten members mails ten people.
    verdict = first_refusal(*(budget.hit(None, value) for _ in range(mentions)))
    if not verdict.allowed:
        raise OverBudget("mentions", verdict)


@transaction.atomic
def post(task: Task, access, body: str) -> Message:
    """Posts a message as ``access``'s person; mentioned members are told as they chose.

    Raises ``OverBudget`` (storing and sending nothing) when the author is over their
    message or mention budget."""
    text = plain_text(body, MAX_LENGTH)
    mentioned = find_mentions(text, task.process.memberships.select_related("user", "process"))
    _spend(access.user, len(mentioned))
    message = Message.objects.create(
        process=task.process,
        task=task,
        author=access.membership,
        author_user=access.user,
        body=text,
    )
    if mentioned:
        message.mentions.set(mentioned)
        notify.notify(mentioned, NotifyKind.MENTION, actor=access.user, message=message)
    return message


@transaction.atomic
def hide(message: Message, reason: str, by) -> None:
    """A process admin (or staff) hides a message; the reason is kept and shown to the team."""
    message.state = MessageState.HIDDEN
    message.moderation_reason = reason
    message.moderated_by, message.moderated_at = by, timezone.now()
    message.save(update_fields=["state", "moderation_reason", "moderated_by", "moderated_at"])
    record(message.process, by, Verb.MESSAGE_HIDDEN, task=message.task, subject=message.task.title)
    logger.info("Moderation: workspace message %s hidden (by %s)", message.pk, by)


@transaction.atomic
def show(message: Message, by) -> None:
    """An admin shows a hidden message again: their review of its reports, so the count
    toward auto-hiding starts again (the reports stay recorded)."""
    message.state = MessageState.VISIBLE
    message.report_count = 0
    message.moderated_by, message.moderated_at = by, timezone.now()
    message.save(update_fields=["state", "report_count", "moderated_by", "moderated_at"])
    record(message.process, by, Verb.MESSAGE_SHOWN, task=message.task, subject=message.task.title)


def report(message: Message, membership: Membership, reason: str = "") -> bool:
    """Counts one report per member; hides the message at participation's threshold of
    reports since an admin last reviewed it. False when this member had reported it."""
    try:
        with transaction.atomic():
            MessageReport.objects.create(message=message, membership=membership, reason=reason)
    except IntegrityError:
        return False
    Message.objects.filter(pk=message.pk).update(report_count=F("report_count") + 1)
    message.refresh_from_db()
    threshold = participation_conf.get("PARTICIPATION_REPORTS_TO_HIDE")
    if message.state == MessageState.VISIBLE and message.report_count >= threshold:
        hide(
            message,
            _("Hidden automatically after %(count)d reports; awaiting review.")
            % {"count": message.report_count},
            None,
        )
    return True
