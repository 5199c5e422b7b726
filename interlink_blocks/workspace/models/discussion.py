"""Talk in context: each task's discussion thread, its moderation, and who hears about what.

Messages are plain text (``interlink_blocks.sanitise.plain_text`` strips any markup on the
way in); a member named as ``@Name`` is mentioned and told. Moderation follows
contributions': visible at once inside the team, hidden by a process admin (with a reason,
which stays recorded) or automatically after ``PARTICIPATION_REPORTS_TO_HIDE`` reports from
different members, shown again by an admin.

Notifications: each member chooses per process, for each kind of event, off / immediately /
in a daily digest (``NotificationSettings``). Digest items (``Notification``) only point at
what they are about: the mail is written when the digest goes out, in the member's language.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden")


class Message(models.Model):
    process = models.ForeignKey(
        "interlink_workspace.Process", on_delete=models.CASCADE, related_name="messages"
    )
    task = models.ForeignKey(
        "interlink_workspace.Task", on_delete=models.CASCADE, related_name="messages"
    )
    #: The author's place in the team (``None`` once they left it or deleted their account:
    #: the message stays, without their name).
    author = models.ForeignKey(
        "interlink_workspace.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    #: Staff write without a membership: their account, for their name.
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    mentions = models.ManyToManyField(
        "interlink_workspace.Membership", blank=True, related_name="mentioned_in"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.VISIBLE
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    #: Reports since an admin last showed it (the auto-hiding threshold applies to it).
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]

    def clean(self):
        if self.state == MessageState.HIDDEN and not self.moderation_reason.strip():
            raise ValidationError({"moderation_reason": _("Say why it is hidden.")})


class MessageReport(models.Model):
    """One member's report of a message (one each: a second one counts nothing)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    membership = models.ForeignKey(
        "interlink_workspace.Membership", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "membership"], name="workspace_one_report_each"
            )
        ]


class NotifyMode(models.TextChoices):
    OFF = "off", _("Off")
    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In a daily digest")


class NotifyKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("A task is assigned to me")
    MENTION = "mention", _("Someone mentions me in a discussion")
    CLAIM = "claim", _("Claims of contribution (new ones for admins, decisions on mine)")
    STATUS = "status", _("The status of a task assigned to me changes")


#: What a member hears before choosing (mentions and assignments are about them alone).
DEFAULT_MODES: dict[str, str] = {
    NotifyKind.ASSIGNMENT: NotifyMode.IMMEDIATELY,
    NotifyKind.MENTION: NotifyMode.IMMEDIATELY,
    NotifyKind.CLAIM: NotifyMode.DIGEST,
    NotifyKind.STATUS: NotifyMode.DIGEST,
}


class NotificationSettings(models.Model):
    """A member's e-mail choices in one process (no row: ``DEFAULT_MODES``)."""

    membership = models.OneToOneField(
        "interlink_workspace.Membership", on_delete=models.CASCADE, related_name="notify"
    )
    #: ``{kind: mode}``; kinds missing take ``DEFAULT_MODES``.
    modes = models.JSONField(default=dict, blank=True)
    #: The language of the mails (one of ``LANGUAGES``); empty: the call's language.
    language = models.CharField(_("language of the mails"), max_length=10, blank=True)

    def mode(self, kind: str) -> str:
        return self.modes.get(kind) or DEFAULT_MODES.get(kind, NotifyMode.OFF)


class Notification(models.Model):
    """Something a member chose to hear about in their daily digest, kept until it is sent.

    It points at the log entry (assignment, status, claim) or the message (mention) instead
    of copying them; deleting those deletes it.
    """

    membership = models.ForeignKey(
        "interlink_workspace.Membership", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotifyKind.choices)
    activity = models.ForeignKey(
        "interlink_workspace.Activity", null=True, blank=True, on_delete=models.CASCADE
    )
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
