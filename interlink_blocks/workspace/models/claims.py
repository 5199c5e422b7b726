"""Who did what: claims of contribution, their acknowledgement, and the points they give.

A member claims a contribution to a task or a resource ("I drafted this"); a process admin
acknowledges or declines it. Acknowledged claims give points by the process's rule
(``Process.points_rule``: points per kind of contribution). Points appear on a leaderboard
only for members who opted in (``Membership.on_leaderboard``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClaimKind(models.TextChoices):
    DRAFTED = "drafted", _("I drafted this")
    TESTED = "tested", _("I tested this")
    REVIEWED = "reviewed", _("I reviewed this")
    FACILITATED = "facilitated", _("I facilitated this")
    OTHER = "other", _("Other contribution")


#: INTERLINK's incentive scheme, as a starting rule each process admin may change.
DEFAULT_POINTS = {"drafted": 5, "tested": 3, "reviewed": 2, "facilitated": 3, "other": 1}


class ClaimState(models.TextChoices):
    PENDING = "pending", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DECLINED = "declined", _("Declined")


class Claim(models.Model):
    process = models.ForeignKey(
        "interlink_workspace.Process", on_delete=models.CASCADE, related_name="claims"
    )
    membership = models.ForeignKey(
        "interlink_workspace.Membership", on_delete=models.CASCADE, related_name="claims"
    )
    task = models.ForeignKey(
        "interlink_workspace.Task", on_delete=models.CASCADE, related_name="claims"
    )
    resource = models.ForeignKey(
        "interlink_workspace.Resource",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claims",
    )
    kind = models.CharField(_("contribution"), max_length=20, choices=ClaimKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ClaimState.choices, default=ClaimState.PENDING
    )
    #: Points given when acknowledged, by the rule in force then.
    points = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("claim of contribution")
        verbose_name_plural = _("claims of contribution")
        ordering = ["-created_at", "-pk"]


class Certificate(models.Model):
    """A participation certificate as issued: what it stated, checkable at its public link."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    #: [{"call": title, "role": label, "contributions": [{"task", "kind", "points"}]}]
    content = models.JSONField(default=list)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("participation certificate")
        verbose_name_plural = _("participation certificates")
