"""Who works in a process, with which role, and who is invited to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interlink_blocks.participation.models import TeamRole


class ProcessRole(models.TextChoices):
    ADMIN = "admin", _("Process admin")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class Membership(models.Model):
    """A person's place in a process: a role (what they may do) and a team role (who they are
    in the team: citizen, business, civil servant…, which phase and task restrictions name)."""

    process = models.ForeignKey(
        "interlink_workspace.Process", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="interlink_workspace_memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=ProcessRole.choices, default=ProcessRole.MEMBER
    )
    team_role = models.CharField(
        _("team role"), max_length=20, choices=TeamRole.choices, blank=True
    )
    name = models.CharField(_("name shown to the team"), max_length=120)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    #: When the member last opened the overview: "what changed since your last visit".
    last_seen_at = models.DateTimeField(null=True, blank=True)
    #: The member agreed to show their name and points on the process's leaderboard.
    on_leaderboard = models.BooleanField(_("on the leaderboard"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="workspace_one_membership")
        ]

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """A place in a process waiting for the person who signs in with ``email``.

    Staff invite by address, and an accepted team request of someone without an account
    becomes one: signing in with that address (the mailed code proves it) makes them a member.
    """

    process = models.ForeignKey(
        "interlink_workspace.Process", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=ProcessRole.choices, default=ProcessRole.MEMBER
    )
    team_role = models.CharField(
        _("team role"), max_length=20, choices=TeamRole.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "email"],
                condition=Q(accepted_at__isnull=True),
                name="workspace_one_open_invitation",
            )
        ]

    def __str__(self):
        return self.email
