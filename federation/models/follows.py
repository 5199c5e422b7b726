"""Follow relationships in both directions; each is a small state graph."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowState(models.TextChoices):
    """pending → accepted | rejected (Undo deletes the row)."""

    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Follower(models.Model):
    """A remote actor following one of our actors."""

    local_actor = models.ForeignKey(
        "federation.LocalActor", on_delete=models.CASCADE, related_name="followers"
    )
    remote_actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="following_us"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=FollowState.choices, default=FollowState.PENDING
    )
    follow_activity_id = models.URLField(max_length=500)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["local_actor", "remote_actor"], name="federation_unique_follower"
            )
        ]

    def __str__(self) -> str:
        return f"{self.remote_actor} → {self.local_actor} ({self.state})"


class Following(models.Model):
    """One of our actors following a remote actor."""

    local_actor = models.ForeignKey(
        "federation.LocalActor", on_delete=models.CASCADE, related_name="following"
    )
    remote_actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="followed_by_us"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=FollowState.choices, default=FollowState.PENDING
    )
    follow_activity_id = models.URLField(max_length=500, unique=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed municipality")
        verbose_name_plural = _("followed municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["local_actor", "remote_actor"], name="federation_unique_following"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_actor} → {self.remote_actor} ({self.state})"
