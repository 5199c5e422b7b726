"""Which signature scheme a host gets: "double-knocking", as Fedify does it.

A host we have not delivered to yet is knocked on with ``FEDERATION_SIGNATURE_FIRST``
(RFC 9421 by default, as Fedify does); when it refuses with a 4xx that a signature could
explain, the same POST is sent once more signed with the other scheme (draft-cavage). The
scheme a host accepted is remembered on its ``HostHealth`` row (``signature_scheme``), so
later deliveries knock once. A host that accepted us before and now answers 401 (it
changed its software, or stopped verifying the remembered scheme) gets one more try with
the other scheme, and whatever it accepts is remembered instead.

Cf. Fedify's ``doubleKnock`` (packages/fedify/src/sig/http.ts): it re-signs on 4xx with
the other specification and remembers the one that worked in its key-value store per
origin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from . import client, signatures
from .conf import setting
from .models import HostHealth

logger = logging.getLogger(__name__)

# Refusals a signature in the other scheme cannot turn into success: the inbox is gone or
# missing, the body is too large, or the host asks us to slow down.
NOT_ABOUT_THE_SIGNATURE = {404, 410, 413, 429}


@dataclass
class Knock:
    """The last answer of a delivery, and the scheme to remember for its host (if any)."""

    response: client.Response
    scheme: signatures.Scheme
    learned: signatures.Scheme | None = None


def first_scheme() -> signatures.Scheme:
    scheme = setting("FEDERATION_SIGNATURE_FIRST")
    return "cavage" if scheme == "cavage" else "rfc9421"


def _worth_another_knock(status: int, known: signatures.Scheme | None) -> bool:
    if known is not None:
        # A host that verified us before: only "unauthorized" says the signature changed.
        return status == 401
    return 400 <= status < 500 and status not in NOT_ABOUT_THE_SIGNATURE


def post(
    inbox: str, body: bytes, key: signatures.SigningKey, known: signatures.Scheme | None
) -> Knock:
    """POSTs ``body`` to ``inbox`` signed with the host's ``known`` scheme (or the first one
    for a host not known yet) and, when refused in a way a signature could explain, once
    more with the other scheme. Raises ``client.FetchError`` as ``client.post_activity``."""
    scheme = known or first_scheme()
    response = client.post_activity(inbox, body, key, scheme=scheme)
    if response.ok:
        return Knock(response, scheme, learned=None if known == scheme else scheme)
    if not _worth_another_knock(response.status, known):
        return Knock(response, scheme)
    other = signatures.other_scheme(scheme)
    logger.info(
        "Delivery: %s refused %s signature (HTTP %s), knocking with %s",
        inbox,
        scheme,
        response.status,
        other,
    )
    retry = client.post_activity(inbox, body, key, scheme=other)
    return Knock(retry, other, learned=other if retry.ok else None)


def known_schemes(hosts: Iterable[str]) -> dict[str, signatures.Scheme]:
    """The scheme each of ``hosts`` accepted last (one query; unknown hosts are absent)."""
    rows = HostHealth.objects.filter(host__in=set(hosts)).exclude(signature_scheme="")
    return {
        host: "cavage" if scheme == "cavage" else "rfc9421"
        for host, scheme in rows.values_list("host", "signature_scheme")
    }


def remember(learned: dict[str, signatures.Scheme]) -> None:
    """Stores what hosts accepted; nothing to write in the steady state (nothing learned)."""
    if not learned:
        return
    HostHealth.objects.bulk_create(
        [HostHealth(host=host) for host in learned], ignore_conflicts=True
    )
    for scheme in set(learned.values()):
        hosts = [host for host, value in learned.items() if value == scheme]
        HostHealth.objects.filter(host__in=hosts).update(signature_scheme=scheme)
