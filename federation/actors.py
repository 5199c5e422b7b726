"""Actor services: our per-Site actors and fetching/caching remote actors and keys."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urldefrag, urlencode, urlsplit

from bovine.crypto import generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from . import client, signatures
from .blocklist import is_blocked
from .conf import setting
from .localcache import TTLCache
from .models import LocalActor, RemoteActor

logger = logging.getLogger(__name__)


class ActorError(Exception):
    """A remote actor could not be fetched or its document is unusable."""


class BlockedError(ActorError):
    """The actor or its domain is blocked."""


def get_local_actor(site: Site) -> LocalActor:
    """The site's actor, created with a fresh RSA key pair on first use."""
    try:
        return LocalActor.objects.select_related("site").get(site=site)
    except LocalActor.DoesNotExist:
        pass
    public_pem, private_pem = generate_rsa_public_private_key()
    with transaction.atomic():
        actor, _created = LocalActor.objects.select_related("site").get_or_create(
            site=site,
            defaults={
                "username": slugify(site.site_name or site.hostname)[:64] or "municipality",
                "public_key_pem": public_pem,
                "private_key_pem": private_pem,
            },
        )
    return actor


# Per process: host → our actor (Site lookup + actor row), and key id → parsed public key.
_local_actors: TTLCache[LocalActor | None] = TTLCache("FEDERATION_LOCAL_ACTOR_CACHE_SECONDS")
_keys: TTLCache[CryptographicIdentifier] = TTLCache("FEDERATION_KEY_CACHE_SECONDS")


def local_actor_for_request(request: HttpRequest) -> LocalActor | None:
    def load() -> LocalActor | None:
        site = Site.find_for_request(request)
        return get_local_actor(site) if site else None

    # Wagtail matches the Site on host name and port, so that pair is the cache key.
    return _local_actors.get_or_load(request.get_host().lower(), load)


def default_local_actor() -> LocalActor:
    site = Site.objects.get(is_default_site=True)
    return get_local_actor(site)


def signing_key(actor: LocalActor) -> signatures.SigningKey:
    return signatures.SigningKey(actor.key_id, actor.private_key_pem)


def _first_url(value: Any) -> str:
    """AS properties may be a string, an object with ``id``/``href`` or a list of either."""
    if isinstance(value, list):
        return _first_url(value[0]) if value else ""
    if isinstance(value, dict):
        return str(value.get("id") or value.get("href") or "")
    return str(value or "")


def _same_host(first: str, second: str) -> bool:
    """Host *and port*, as the inbox compares them (``signatures.authority``)."""
    return signatures.authority(first) == signatures.authority(second)


def _store_actor(document: dict[str, Any], fetched_from: str) -> RemoteActor:
    actor_id = document.get("id")
    if not isinstance(actor_id, str) or not _same_host(actor_id, fetched_from):
        raise ActorError(f"actor document from {fetched_from} has a foreign or missing id")
    inbox = _first_url(document.get("inbox"))
    if not inbox or not _same_host(inbox, actor_id):
        raise ActorError(f"actor {actor_id} has no inbox on its own host")
    public_key = document.get("publicKey") or {}
    if isinstance(public_key, list):
        public_key = public_key[0] if public_key else {}
    if not isinstance(public_key, dict):
        public_key = {}
    owner = public_key.get("owner") or public_key.get("controller") or actor_id
    if owner != actor_id:
        raise ActorError(f"actor {actor_id} publishes a key owned by {owner}")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    shared_inbox = _first_url((endpoints or {}).get("sharedInbox"))
    if shared_inbox and not _same_host(shared_inbox, actor_id):
        shared_inbox = ""
    actor, _created = RemoteActor.objects.update_or_create(
        uri=actor_id,
        defaults={
            "domain": urlsplit(actor_id).netloc.lower(),
            "username": str(document.get("preferredUsername") or "")[:255],
            "name": str(document.get("name") or "")[:500],
            "url": _first_url(document.get("url"))[:500],
            "inbox": inbox,
            "shared_inbox": shared_inbox,
            "key_id": str(public_key.get("id") or "")[:500],
            "public_key_pem": str(public_key.get("publicKeyPem") or ""),
            "document": document,
            "fetched_at": timezone.now(),
        },
    )
    return actor


def _fetch(url: str, via: LocalActor | None) -> Any:
    # Signed GET: servers with authorised fetch refuse anonymous reads.
    via = via or default_local_actor()
    return client.fetch_json(url, sign_with=signing_key(via))


def fetch_remote_actor(
    uri: str, *, refresh: bool = False, via: LocalActor | None = None
) -> RemoteActor:
    """The cached actor, refetched when stale or when asked; blocked actors are never fetched."""
    uri = urldefrag(uri)[0]
    if is_blocked(uri):
        raise BlockedError(f"{uri} is blocked")
    cached = RemoteActor.objects.filter(uri=uri).first()
    max_age = timedelta(seconds=float(setting("FEDERATION_ACTOR_CACHE_SECONDS")))
    if (
        cached
        and not refresh
        and cached.fetched_at
        and timezone.now() - cached.fetched_at < max_age
    ):
        return cached
    try:
        document = _fetch(uri, via)
    except client.FetchError as error:
        if cached:
            logger.warning("Actor: refetching %s failed (%s); keeping the cached copy", uri, error)
            return cached
        raise ActorError(str(error)) from error
    if not isinstance(document, dict):
        raise ActorError(f"{uri} is not an actor document")
    return _store_actor(document, uri)


def lookup_key(
    key_id: str, refresh: bool, via: LocalActor | None = None
) -> CryptographicIdentifier | None:
    """Key retriever for signature checks: key id → public key bound to its actor."""
    if is_blocked(key_id):
        return None
    if not refresh:
        cached = _keys.get(key_id)
        if cached is not None:
            return cached
    else:
        # A failed verification asks again with refresh: refetch and replace the cached key.
        _keys.discard(key_id)
    key = _load_key(key_id, refresh=refresh, via=via)
    if key is not None:  # an unknown key is not remembered: the next request tries again
        _keys.put(key_id, key)
    return key


def _fetch_allowed(key_id: str, refresh: bool) -> bool:
    """At most one key fetch per key document and interval for each reason (an unknown key,
    a refetch after a failed verification), across processes sharing the cache: a stream
    of bad signatures cannot make us fetch endlessly, and a rotated key is still picked up.
    """
    interval = int(setting("FEDERATION_KEY_REFETCH_INTERVAL"))
    if interval <= 0:
        return True
    reason = "refetch" if refresh else "unknown"
    document = urldefrag(key_id)[0]
    return bool(cache.add(f"federation:key-fetch:{reason}:{document}", True, timeout=interval))


def _load_key(key_id: str, refresh: bool, via: LocalActor | None) -> CryptographicIdentifier | None:
    actor = None
    if not refresh:
        actor = RemoteActor.objects.filter(key_id=key_id).exclude(public_key_pem="").first()
    if actor is None:
        if not _fetch_allowed(key_id, refresh):
            logger.info("Key: not fetching %s again so soon", key_id)
            return None
        try:
            actor = fetch_remote_actor(urldefrag(key_id)[0], refresh=True, via=via)
        except ActorError as error:
            logger.info("Key: cannot fetch %s: %s", key_id, error)
            return None
    if actor.key_id != key_id or not actor.public_key_pem:
        return None
    try:
        return signatures.identifier_from_pem(actor.public_key_pem, actor.uri)
    except ValueError:
        logger.warning("Key: %s publishes an unreadable key", actor.uri)
        return None


def _forget_local_actors(**_kwargs: Any) -> None:
    _local_actors.clear_now_and_on_commit()


def _forget_key(instance: RemoteActor, **_kwargs: Any) -> None:
    _keys.discard(instance.key_id)
    transaction.on_commit(lambda: _keys.discard(instance.key_id))


for _model in (Site, LocalActor):
    post_save.connect(_forget_local_actors, sender=_model, weak=False)
    post_delete.connect(_forget_local_actors, sender=_model, weak=False)
post_save.connect(_forget_key, sender=RemoteActor, weak=False)
post_delete.connect(_forget_key, sender=RemoteActor, weak=False)


HANDLE = re.compile(r"^@?(?P<user>[^@\s/]+)@(?P<host>[^@\s/]+)$")


def resolve_target(target: str, via: LocalActor | None = None) -> RemoteActor:
    """``@name@host``, ``name@host`` (WebFinger) or an actor URL → the remote actor."""
    target = target.strip()
    match = HANDLE.match(target.removeprefix("acct:"))
    if match is None:
        if urlsplit(target).scheme not in ("http", "https"):
            raise ActorError(f"{target!r} is neither a handle (@name@host) nor a URL")
        return fetch_remote_actor(target, refresh=True, via=via)
    user, host = match["user"], match["host"]
    if is_blocked(f"https://{host}/"):
        raise BlockedError(f"{host} is blocked")
    schemes = ["https"] + (["http"] if setting("FEDERATION_ALLOW_LOOPBACK") else [])
    last_error: Exception | None = None
    for scheme in schemes:
        query = urlencode({"resource": f"acct:{user}@{host}"})
        try:
            response = client.guarded_request(
                "GET",
                f"{scheme}://{host}/.well-known/webfinger?{query}",
                headers={"Accept": "application/jrd+json, application/json"},
                follow_redirects=True,
            )
        except client.FetchError as error:
            last_error = error
            continue
        if not response.ok:
            last_error = ActorError(f"WebFinger on {host} answered {response.status}")
            continue
        document = response.json()
        links = document.get("links", []) if isinstance(document, dict) else []
        for link in links:
            if (
                isinstance(link, dict)
                and link.get("rel") == "self"
                and "json" in str(link.get("type", ""))
                and link.get("href")
            ):
                return fetch_remote_actor(str(link["href"]), refresh=True, via=via)
        last_error = ActorError(f"WebFinger on {host} names no actor for {user}")
    raise ActorError(str(last_error))
