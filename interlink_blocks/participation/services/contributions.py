"""A contribution's life: submitted, confirmed, moderated, answered, withdrawn, reported."""

import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import conf, emails, signals
from ..models import Contribution, ContributionState, Participant, Report
from .notify import notify_contact

logger = logging.getLogger(__name__)


def create_contribution(
    call,
    body: str,
    *,
    kind: str = "idea",
    title: str = "",
    parent: Contribution | None = None,
    participant: Participant | None = None,
    author_name: str = "",
    anonymous: bool = False,
    source: str = "web",
    remote_actor_url: str = "",
    remote_object_id: str | None = None,
    state: str = ContributionState.PENDING,
) -> Contribution:
    """Creates a validated contribution; for programmatic use (federation replies, imports).

    A ``remote_object_id`` already stored returns the existing contribution unchanged, so
    redelivered activities do not duplicate it. New pending contributions notify the contact.
    """
    if remote_object_id:
        existing = Contribution.objects.filter(remote_object_id=remote_object_id).first()
        if existing:
            return existing
    contribution = Contribution(
        call=call,
        parent=parent,
        kind=kind,
        title=title,
        body=body,
        participant=participant,
        author_name=author_name,
        anonymous=anonymous,
        source=source,
        remote_actor_url=remote_actor_url,
        remote_object_id=remote_object_id,
        state=state,
    )
    contribution.full_clean()
    contribution.save()
    if state == ContributionState.PENDING:
        _announce(contribution)
    return contribution


def submit(call, cleaned: dict, participant: Participant | None, source: str = "web"):
    """Stores a form or API submission. Returns the contribution; ``participant`` is the
    confirmed person making the request, or None when ``cleaned["email"]`` must be confirmed."""
    # Only a person proven in this request (account or confirmed session) skips the mail:
    # typing a known address proves nothing, so it changes nothing stored about that person
    # either (their name is taken over when they confirm, see ``confirm``).
    confirmed = participant is not None
    if participant is None:
        participant = Participant.objects.for_email(cleaned["email"])
    name = "" if cleaned.get("anonymous") else cleaned.get("name", "").strip()
    with transaction.atomic():
        contribution = create_contribution(
            call,
            cleaned["body"],
            kind="comment" if cleaned.get("parent") else (cleaned.get("kind") or "idea"),
            title=cleaned.get("title", ""),
            parent=cleaned.get("parent"),
            participant=participant,
            author_name=name,
            anonymous=bool(cleaned.get("anonymous")),
            source=source,
            state=ContributionState.PENDING if confirmed else ContributionState.UNCONFIRMED,
        )
        if confirmed:
            participant.touch(name)
    if not confirmed:
        emails.queue(
            "confirm_contribution",
            [participant.email],
            {
                "call": call,
                "contribution": contribution,
                "confirm_url": emails.confirm_link("contribution", c=contribution.pk),
            },
        )
    return contribution


def confirm(contribution: Contribution) -> bool:
    """The author followed the mailed link: the contribution enters moderation, and the name
    they gave with it becomes the one remembered for them."""
    if contribution.state != ContributionState.UNCONFIRMED:
        return False
    contribution.state = ContributionState.PENDING
    contribution.save(update_fields=["state"])
    if contribution.participant:
        contribution.participant.confirm("" if contribution.anonymous else contribution.author_name)
    _announce(contribution)
    return True


def _announce(contribution: Contribution) -> None:
    notify_contact(contribution.call, contribution=contribution)


#: Why staff cannot approve (or put back into moderation) a contribution in these states:
#: only its author can make it public, by confirming it or by not withdrawing it.
NOT_APPROVABLE = {
    ContributionState.UNCONFIRMED: gettext_lazy(
        "Its author has not confirmed it by e-mail yet, so it cannot be approved."
    ),
    ContributionState.WITHDRAWN: gettext_lazy(
        "Its author withdrew it, so it cannot be approved again."
    ),
}


def approval_refusal(contribution: Contribution, state: str = ContributionState.APPROVED):
    """Why staff may not move ``contribution`` to ``state`` (approved or pending), or None."""
    if state not in (ContributionState.APPROVED, ContributionState.PENDING):
        return None
    if contribution.state == state:
        return None
    return NOT_APPROVABLE.get(contribution.state)


def set_state(contribution: Contribution, state: str, reason: str = "", by=None) -> None:
    """Moves a contribution to a moderation state and tells other apps what changed.

    Raises ``ValueError`` for a move staff may not make (see ``approval_refusal``).
    """
    refusal = approval_refusal(contribution, state)
    if refusal:
        raise ValueError(f"contribution {contribution.pk}: {refusal}")
    was_visible = contribution.is_visible
    contribution.state = state
    if reason:
        contribution.moderation_reason = reason
    if state == ContributionState.APPROVED and not contribution.published_at:
        contribution.published_at = timezone.now()
    contribution.save(update_fields=["state", "moderation_reason", "published_at"])
    after_state_change(contribution, was_visible)
    logger.info("Moderation: contribution %s is now %s (by %s)", contribution.pk, state, by)


def after_state_change(contribution: Contribution, was_visible: bool) -> None:
    """Tells other apps what changed. Staff approving a contribution is their review of its
    reports: the count toward auto-hiding starts again (the reports stay recorded)."""
    if contribution.is_visible and not was_visible:
        if contribution.report_count:
            contribution.report_count = 0
            Contribution.objects.filter(pk=contribution.pk).update(report_count=0)
        signals.contribution_approved.send(sender=Contribution, contribution=contribution)
    elif was_visible and not contribution.is_visible:
        if contribution.state == ContributionState.WITHDRAWN:
            signals.contribution_withdrawn.send(sender=Contribution, contribution=contribution)
        else:
            signals.contribution_removed.send(
                sender=Contribution, contribution=contribution, reason=contribution.state
            )


def withdraw(contribution: Contribution) -> None:
    set_state(contribution, ContributionState.WITHDRAWN)


def reporter_key(request) -> str:
    """A keyed hash of who reports: the account, else the client address (not stored as such)."""
    user = getattr(request, "user", None)
    who = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{_ip(request)}"
    return hashlib.sha256(f"{settings.SECRET_KEY}:{who}".encode()).hexdigest()


def _ip(request) -> str:
    from ..ratelimit import client_ip

    return client_ip(request)


def report(contribution: Contribution, key: str, reason: str = "") -> bool:
    """Counts one report per reporter; hides the contribution at the configured threshold of
    reports since staff last approved it.

    Returns False when this reporter had already reported it (before or after a review).
    """
    try:
        with transaction.atomic():
            Report.objects.create(contribution=contribution, reporter_key=key, reason=reason)
    except IntegrityError:
        return False
    Contribution.objects.filter(pk=contribution.pk).update(report_count=F("report_count") + 1)
    contribution.refresh_from_db()
    threshold = conf.get("PARTICIPATION_REPORTS_TO_HIDE")
    if contribution.is_visible and contribution.report_count >= threshold:
        set_state(
            contribution,
            ContributionState.HIDDEN,
            reason=_("Hidden automatically after %(count)d reports; awaiting review.")
            % {"count": contribution.report_count},
        )
    return True


def record_moderator_edit(contribution: Contribution, title: str, body: str) -> None:
    """A moderator changed the title or text: keep the author's own words (the first time
    only: later edits keep the original, not the previous edit), date the edit and mail the
    author, who sees it on the call page with "edited by the moderators"."""
    if contribution.edited_by_moderators_at is None:
        contribution.original_title, contribution.original_body = title, body
    contribution.edited_by_moderators_at = timezone.now()
    contribution.save(update_fields=["original_title", "original_body", "edited_by_moderators_at"])
    logger.info("Moderation: contribution %s edited by the moderators", contribution.pk)
    if contribution.participant and contribution.participant.email:
        emails.queue(
            "edited_by_moderators",
            [contribution.participant.email],
            {"call": contribution.call, "contribution": contribution},
            language=emails.call_language(contribution.call),
        )


def publish_answer(contribution: Contribution) -> bool:
    """The official answer was set or changed: mail its author and the call's subscribers.

    An answer is public, so only an approved contribution gets one (the admin form says so
    before saving); for any other, nothing is sent and False is returned.
    """
    if not contribution.is_visible:
        logger.warning("Answer: contribution %s is not approved; nothing sent", contribution.pk)
        return False
    contribution.answered_at = timezone.now()
    contribution.save(update_fields=["answered_at"])
    signals.contribution_answered.send(sender=Contribution, contribution=contribution)
    context = {"call": contribution.call, "contribution": contribution}
    author_email = ""
    if contribution.participant and contribution.participant.email:
        author_email = contribution.participant.email
        language = emails.call_language(contribution.call)
        emails.queue("answer_to_author", [author_email], context, language=language)
    emails.mail_subscribers(contribution.call, "answer_to_subscriber", context, author_email)
    return True
