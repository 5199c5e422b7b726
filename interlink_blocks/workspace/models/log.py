"""The process's activity log: every change, with who and when, visible to its members.

An entry stores what happened as a verb and its values (titles, old and new status), not as
a sentence: each reader sees it in their own language (``describe``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    OPENED = "opened", _("opened the process")
    MEMBER_ADDED = "member_added", _("added a member")
    MEMBER_REMOVED = "member_removed", _("removed a member")
    ROLE_CHANGED = "role_changed", _("changed a role")
    INVITED = "invited", _("invited someone")
    OBJECTIVE_ADDED = "objective_added", _("added an objective")
    OBJECTIVE_CHANGED = "objective_changed", _("changed an objective")
    OBJECTIVE_MOVED = "objective_moved", _("moved an objective")
    OBJECTIVE_REMOVED = "objective_removed", _("removed an objective")
    TASK_ADDED = "task_added", _("added a task")
    TASK_CHANGED = "task_changed", _("changed a task")
    TASK_MOVED = "task_moved", _("moved a task")
    TASK_REMOVED = "task_removed", _("removed a task")
    TASK_ASSIGNED = "task_assigned", _("assigned a task")
    RESTRICTED = "restricted", _("changed who may edit")
    RESOURCE_ADDED = "resource_added", _("added a resource")
    VERSION_ADDED = "version_added", _("uploaded a version")
    CLAIMED = "claimed", _("claimed a contribution")
    CLAIM_ACKNOWLEDGED = "claim_acknowledged", _("acknowledged a contribution")
    CLAIM_DECLINED = "claim_declined", _("declined a claim")
    POINTS_RULE = "points_rule", _("changed the points rule")
    MESSAGE_HIDDEN = "message_hidden", _("hid a message")
    MESSAGE_SHOWN = "message_shown", _("showed a hidden message again")
    OUTCOME_PUBLISHED = "outcome_published", _("published the outcome")


class Activity(models.Model):
    process = models.ForeignKey(
        "interlink_workspace.Process", on_delete=models.CASCADE, related_name="activities"
    )
    #: Who did it (``None``: the site itself, or a person who deleted their account).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=30, choices=Verb.choices)
    task = models.ForeignKey(
        "interlink_workspace.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    #: What it was about, as it was then (a title, a member's name).
    subject = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["process", "-created_at"], name="workspace_log_recent")]
