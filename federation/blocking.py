"""What a block does beyond the inbox (which refuses blocked senders before any fetch).

Blocking a domain or an actor also cuts the relations and traffic we already have with it:

- its followers are removed and our follows of it dropped, silently (telling a blocked
  server anything would be more traffic to it), so nothing more is addressed to it;
- deliveries still waiting for its inboxes are ``cancelled`` (a state the admin shows, with
  the reason), and ``delivery.claim`` cancels any that appear later instead of sending them;
- its catalogue items are withdrawn (marked deleted and emptied: ``RemoteObjectQuerySet.withdraw``),
  so they leave ``/federated/``, the search index and the admin catalogue, which also hides
  blocked origins while blocked.

Unblocking restores nothing (removed follows and emptied items stay so); new activities
from the server are accepted again, and following it again brings its new items.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.db.models.signals import post_save

from .blocklist import domain_of, is_blocked
from .delivery import cancel_deliveries
from .models import (
    BlockedActor,
    BlockedDomain,
    BlockSeverity,
    Delivery,
    Follower,
    Following,
    RemoteActor,
    RemoteObject,
)

logger = logging.getLogger(__name__)


@dataclass
class BlockOutcome:
    followers: int = 0
    following: int = 0
    deliveries: int = 0
    items: int = 0


def _under(hostname: str, domain: str) -> bool:
    """``a.b.example`` is under ``b.example`` and ``example`` (a block covers subdomains)."""
    hostname = hostname.lower().rstrip(".")
    return hostname == domain or hostname.endswith("." + domain)


def _hostname(netloc: str) -> str:
    return (urlsplit(f"//{netloc}").hostname or "").rstrip(".")


def _netloc_candidates(field: str, domain: str) -> Q:
    """A prefilter on a ``host[:port]`` column; ``_under`` decides."""
    return (
        Q(**{field: domain})
        | Q(**{f"{field}__startswith": f"{domain}:"})
        | Q(**{f"{field}__endswith": f".{domain}"})
        | Q(**{f"{field}__contains": f".{domain}:"})
    )


def actors_on_domain(domain: str) -> QuerySet[RemoteActor]:
    candidates = RemoteActor.objects.filter(_netloc_candidates("domain", domain))
    pks = [pk for pk, uri in candidates.values_list("pk", "uri") if _under(domain_of(uri), domain)]
    return RemoteActor.objects.filter(pk__in=pks)


def _cut(actors: QuerySet[RemoteActor], deliveries: QuerySet[Delivery]) -> BlockOutcome:
    outcome = BlockOutcome()
    outcome.followers, _ = Follower.objects.filter(remote_actor__in=actors).delete()
    outcome.following, _ = Following.objects.filter(remote_actor__in=actors).delete()
    outcome.deliveries = cancel_deliveries(deliveries)
    outcome.items = len(RemoteObject.objects.filter(actor__in=actors).withdraw())
    return outcome


def apply_domain_block(domain: str) -> BlockOutcome:
    """Cuts followers, follows, waiting deliveries and catalogue items of ``domain`` and
    its subdomains."""
    domain = domain.lower().rstrip(".")
    hosts = Delivery.objects.filter(_netloc_candidates("host", domain)).values_list(
        "host", flat=True
    )
    blocked_hosts = [host for host in set(hosts) if _under(_hostname(host), domain)]
    outcome = _cut(actors_on_domain(domain), Delivery.objects.filter(host__in=blocked_hosts))
    logger.info("Block: %s cut (%s)", domain, outcome)
    return outcome


def apply_actor_block(uri: str) -> BlockOutcome:
    """Cuts one actor: its follow relations, deliveries to its own inbox (a shared inbox
    serves others on that server too) and its catalogue items."""
    actors = RemoteActor.objects.filter(uri=uri)
    inboxes = list(actors.values_list("inbox", flat=True))
    outcome = _cut(actors, Delivery.objects.filter(inbox__in=inboxes))
    logger.info("Block: %s cut (%s)", uri, outcome)
    return outcome


def blocked_actor_ids() -> set[int]:
    """Remote actors currently blocked (by actor or domain); for read-time hiding."""
    return {pk for pk, uri in RemoteActor.objects.values_list("pk", "uri") if is_blocked(uri)}


def _on_domain_block(
    sender: Any, instance: BlockedDomain, raw: bool = False, **kwargs: Any
) -> None:
    if not raw and instance.severity != BlockSeverity.NOOP:
        apply_domain_block(instance.domain)


def _on_actor_block(sender: Any, instance: BlockedActor, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        apply_actor_block(instance.uri)


def connect() -> None:
    post_save.connect(
        _on_domain_block, sender=BlockedDomain, dispatch_uid="federation_block_domain"
    )
    post_save.connect(_on_actor_block, sender=BlockedActor, dispatch_uid="federation_block_actor")
