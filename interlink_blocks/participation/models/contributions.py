"""Contributions to a call: ideas, questions and comments, with replies one level deep."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import conf


class ContributionKind(models.TextChoices):
    IDEA = "idea", _("Idea")
    QUESTION = "question", _("Question")
    COMMENT = "comment", _("Comment")


class ContributionState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    HIDDEN = "hidden", _("Hidden")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class AnswerStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    UNDER_STUDY = "under_study", _("Under study")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")
    ANSWERED = "answered", _("Answered")


# The official answers that fit each kind of contribution: an idea is accepted, studied,
# rejected or implemented; a question or a comment is answered (or still being looked into).
ANSWERS_BY_KIND = {
    ContributionKind.IDEA: [
        AnswerStatus.ACCEPTED,
        AnswerStatus.UNDER_STUDY,
        AnswerStatus.REJECTED,
        AnswerStatus.IMPLEMENTED,
    ],
    ContributionKind.QUESTION: [AnswerStatus.ANSWERED, AnswerStatus.UNDER_STUDY],
    ContributionKind.COMMENT: [AnswerStatus.ANSWERED, AnswerStatus.UNDER_STUDY],
}


def answer_choices(kind: str) -> list[tuple[str, str]]:
    """The answer statuses for a contribution of ``kind``, as form choices."""
    allowed = ANSWERS_BY_KIND.get(kind, list(AnswerStatus))
    return [(status.value, status.label) for status in allowed]


class ContributionSource(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    FEDIVERSE = "fediverse", _("Fediverse reply")


def validate_body_length(value: str) -> None:
    MaxLengthValidator(conf.get("PARTICIPATION_MAX_BODY_LENGTH"))(value)


class ContributionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=ContributionState.APPROVED)

    def supportable(self, call):
        """What can be supported besides the call itself: its approved top-level contributions
        (replies are not supported, on the page as in the API)."""
        return self.approved().filter(call=call, parent__isnull=True)

    def public_for(self, call):
        """Approved top-level contributions of a call with their approved replies.

        A withdrawn (or deleted at its author's request) contribution that others replied to
        stays in the list as a placeholder, so that their approved replies keep their place.
        """
        replies = Contribution.objects.approved().order_by("published_at", "pk")
        answered = models.Exists(
            Contribution.objects.approved().filter(parent=models.OuterRef("pk"))
        )
        return (
            self.filter(call=call, parent__isnull=True)
            .filter(
                models.Q(state=ContributionState.APPROVED)
                | models.Q(answered, state=ContributionState.WITHDRAWN)
            )
            .annotate(support_count=models.Count("supports", distinct=True))
            .prefetch_related(models.Prefetch("replies", queryset=replies))
            .order_by("-published_at", "-pk")
        )


class Contribution(models.Model):
    """What a person (or, through federation, a remote actor) said about a call.

    ``participant`` is null for remote authors and for deleted participants, whose approved
    contributions stay as "deleted participant" (``author_deleted``). ``report_count`` counts
    the reports since staff last approved it (the auto-hiding threshold applies to it).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(
        "interlink_blocks.CallPage",
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("call"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ContributionKind.choices, default=ContributionKind.IDEA
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), validators=[validate_body_length])
    participant = models.ForeignKey(
        "interlink_participation.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("participant"),
    )
    author_name = models.CharField(_("name shown"), max_length=120, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    author_deleted = models.BooleanField(_("author deleted their data"), default=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ContributionState.choices,
        default=ContributionState.PENDING,
        db_index=True,
    )
    moderation_reason = models.TextField(
        _("moderation reason"),
        blank=True,
        help_text=_("Why it was hidden or rejected. Required when hiding."),
    )
    report_count = models.PositiveIntegerField(
        _("reports since review"),
        default=0,
        help_text=_("Reports since staff last approved it; every report stays recorded."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ContributionSource.choices, default="web"
    )
    remote_actor_url = models.URLField(_("remote author"), max_length=500, blank=True)
    remote_object_id = models.CharField(
        _("remote object id"), max_length=500, unique=True, null=True, blank=True
    )
    answer_status = models.CharField(
        _("official answer"), max_length=20, choices=AnswerStatus.choices, blank=True
    )
    answer_text = models.TextField(
        _("answer text"), blank=True, help_text=_("Required when the answer is a rejection.")
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # A moderator may correct a citizen's text (a phone number, an insult); the text as
    # its author wrote it is kept, the page says it was edited, and the author is told.
    original_title = models.CharField(_("title as written"), max_length=200, blank=True)
    original_body = models.TextField(_("text as written"), blank=True)
    edited_by_moderators_at = models.DateTimeField(
        _("edited by the moderators"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at"]

    def __str__(self):
        text = self.title or self.body
        return text[:60] + ("…" if len(text) > 60 else "")

    def clean(self):
        super().clean()
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Replies go one level deep only.")})
        if self.parent_id and self.parent.call_id != self.call_id:
            raise ValidationError({"parent": _("A reply belongs to the same call.")})
        if self.state == ContributionState.HIDDEN and not self.moderation_reason.strip():
            raise ValidationError({"moderation_reason": _("Say why it is hidden.")})
        if self.answer_status == AnswerStatus.REJECTED and not self.answer_text.strip():
            raise ValidationError({"answer_text": _("Give the reason for the rejection.")})
        allowed = ANSWERS_BY_KIND.get(self.kind, list(AnswerStatus))
        if self.answer_status and self.answer_status not in allowed:
            raise ValidationError(
                {
                    "answer_status": _(
                        "“%(status)s” is not an answer to a %(kind)s; choose one of: %(allowed)s."
                    )
                    % {
                        "status": self.get_answer_status_display(),
                        "kind": self.get_kind_display().lower(),
                        "allowed": ", ".join(str(status.label) for status in allowed),
                    }
                }
            )

    @property
    def answer_label(self) -> str:
        """The official answer as readers see it, worded for the kind of contribution: a
        question answered before statuses depended on the kind still reads "Answered"."""
        if not self.answer_status:
            return ""
        allowed = ANSWERS_BY_KIND.get(self.kind, list(AnswerStatus))
        if self.answer_status not in allowed and AnswerStatus.ANSWERED in allowed:
            return str(AnswerStatus.ANSWERED.label)
        return str(self.get_answer_status_display())

    @property
    def public_author(self) -> str:
        if self.author_deleted:
            return str(_("Deleted participant"))
        if self.anonymous or not self.author_name:
            return str(_("Anonymous"))
        return self.author_name

    @property
    def is_visible(self) -> bool:
        return self.state == ContributionState.APPROVED
