"""Inbox budgets (``interlink_federation.budgets``): per actor and per host, larger for
actors we have an accepted follow with, counted only once a signature is verified."""

from __future__ import annotations

import pytest
from django.utils import timezone

from interlink_federation import signatures
from interlink_federation.models import Follower, FollowState, InboxMessage, RemoteActor

from .conftest import REMOTE


@pytest.fixture
def budgets(settings):
    # Hour-long windows: budgets count in fixed windows, and a minute could turn mid-test.
    settings.FEDERATION_INBOX_RATE_LIMITS = {
        "stranger_actor": "3/h",
        "stranger_host": "5/h",
        "known_actor": "6/h",
        "known_host": "50/h",
    }


def like(number: int, actor: str = f"{REMOTE}/users/town") -> dict:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor}/likes/{number}",
        "type": "Like",
        "actor": actor,
        "object": f"{REMOTE}/notes/{number}",
    }


def codes(post_inbox, key, count: int, actor: str = f"{REMOTE}/users/town", start: int = 0):
    return [
        post_inbox(like(number, actor), key).status_code for number in range(start, start + count)
    ]


def test_a_stranger_gets_429_with_retry_after_past_its_budget(
    post_inbox, local_actor, remote_key, budgets
):
    """Ensures that an actor without a follow past its budget gets 429 with Retry-After and
    that nothing past the budget is stored."""
    assert codes(post_inbox, remote_key, 3) == [202, 202, 202]
    refused = post_inbox(like(3), remote_key)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert InboxMessage.objects.count() == 3


def test_a_verified_follower_gets_the_larger_budget(
    post_inbox, local_actor, remote_actor, remote_key, budgets
):
    """Ensures that an actor following one of ours (accepted) may send more than a stranger."""
    Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"{REMOTE}/activities/follow-1",
    )
    assert codes(post_inbox, remote_key, 7) == [202] * 6 + [429]


def test_one_host_shares_a_budget_across_its_actors(
    post_inbox, local_actor, remote_key, keypair, budgets
):
    """Ensures that a host's actors together get no more than the host's budget."""
    RemoteActor.objects.create(
        uri=f"{REMOTE}/users/harbour",
        domain="remote.example",
        username="harbour",
        inbox=f"{REMOTE}/users/harbour/inbox",
        key_id=f"{REMOTE}/users/harbour#main-key",
        public_key_pem=keypair[0],
        fetched_at=timezone.now(),
    )
    harbour_key = signatures.SigningKey(f"{REMOTE}/users/harbour#main-key", keypair[1])
    assert codes(post_inbox, remote_key, 3) == [202, 202, 202]
    harbour = f"{REMOTE}/users/harbour"
    assert codes(post_inbox, harbour_key, 3, actor=harbour, start=10) == [202, 202, 429]


def test_forged_requests_do_not_spend_the_actor_budget(
    post_inbox, local_actor, remote_actor, remote_key, other_keypair, budgets
):
    """Ensures that requests claiming an actor with a signature that fails are not counted:
    a forger cannot use up someone else's budget."""
    forged_key = signatures.SigningKey(remote_actor.key_id, other_keypair[1])
    assert set(codes(post_inbox, forged_key, 5)) == {401}
    assert codes(post_inbox, remote_key, 3, start=10) == [202, 202, 202]


def test_an_actor_over_budget_is_refused_before_its_key_is_looked_up(
    post_inbox, local_actor, remote_key, budgets, monkeypatch
):
    """Ensures that once over budget a request is refused before the signature check (no
    key lookup, no fetch)."""
    assert codes(post_inbox, remote_key, 3) == [202, 202, 202]

    def no_lookup(*args, **kwargs):
        raise AssertionError("the key was looked up")

    monkeypatch.setattr("interlink_federation.views.inbox.lookup_key", no_lookup)
    assert post_inbox(like(3), remote_key).status_code == 429


def test_budgets_can_be_switched_off(post_inbox, local_actor, remote_key, budgets, settings):
    """Ensures that RATELIMIT_ENABLE = False (the benchmarks' switch) counts nothing."""
    settings.RATELIMIT_ENABLE = False
    assert set(codes(post_inbox, remote_key, 5)) == {202}
