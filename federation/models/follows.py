"""Follow relationships in both directions; each is a small state graph."""

from __future__ import annotations

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class FollowState(models.TextChoices):
    """pending → accepted | rejected; accepted → rejected (the other side removed the
    follower); rejected → pending (following again). Undo and removal delete the row."""

    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


# The follow lifecycle as a state graph, for both directions. Staying in a state is not a
# transition (a repeated Accept changes nothing); anything not listed is refused.
FOLLOW_TRANSITIONS: dict[str, frozenset[str]] = {
    FollowState.PENDING: frozenset({FollowState.ACCEPTED, FollowState.REJECTED}),
    FollowState.ACCEPTED: frozenset({FollowState.REJECTED}),
    FollowState.REJECTED: frozenset({FollowState.PENDING}),
}


class FollowLifecycle:
    """``move_to`` for ``Follower`` and ``Following``: a state change along the graph."""

    pk: object
    state: str

    def can_move_to(self, new_state: str) -> bool:
        return new_state in FOLLOW_TRANSITIONS.get(self.state, frozenset())

    def move_to(self, new_state: str) -> bool:
        """Saves ``new_state`` if the graph allows it; ``False`` (with a log line) if not,
        or if the row is in that state already."""
        if self.state == new_state:
            logger.info("Follow: %s %s is %s already", type(self).__name__, self.pk, new_state)
            return False
        if not self.can_move_to(new_state):
            logger.warning(
                "Follow: refusing %s → %s for %s %s",
                self.state,
                new_state,
                type(self).__name__,
                self.pk,
            )
            return False
        self.state = new_state
        self.save(update_fields=["state"])  # type: ignore[attr-defined]
        return True


class Follower(FollowLifecycle, models.Model):
    """A remote actor following one of our actors."""

    local_actor = models.ForeignKey(
        "interlink_federation.LocalActor", on_delete=models.CASCADE, related_name="followers"
    )
    remote_actor = models.ForeignKey(
        "interlink_federation.RemoteActor", on_delete=models.CASCADE, related_name="following_us"
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


class Following(FollowLifecycle, models.Model):
    """One of our actors following a remote actor."""

    local_actor = models.ForeignKey(
        "interlink_federation.LocalActor", on_delete=models.CASCADE, related_name="following"
    )
    remote_actor = models.ForeignKey(
        "interlink_federation.RemoteActor", on_delete=models.CASCADE, related_name="followed_by_us"
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
