"""Blocklist checks (before any fetch) and the shared-blocklist CSV import."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models.signals import post_delete, post_save

from .localcache import TTLCache
from .models import BlockedActor, BlockedDomain, BlockSeverity

# Both lists as sets, per process: every inbox POST checks them, usually twice.
_blocks: TTLCache[tuple[frozenset[str], frozenset[str]]] = TTLCache(
    "FEDERATION_BLOCKLIST_CACHE_SECONDS", max_entries=1
)


def domain_of(uri: str) -> str:
    return (urlsplit(uri).hostname or "").lower().rstrip(".")


def _parent_domains(domain: str) -> list[str]:
    """``a.b.example`` → ``[a.b.example, b.example, example]``: a block covers subdomains."""
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]


def _load_blocks() -> tuple[frozenset[str], frozenset[str]]:
    domains = frozenset(
        BlockedDomain.objects.exclude(severity=BlockSeverity.NOOP).values_list("domain", flat=True)
    )
    actors = frozenset(BlockedActor.objects.values_list("uri", flat=True))
    return domains, actors


def blocked_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(blocked domains, blocked actor URIs), cached per process for a few seconds."""
    return _blocks.get_or_load("all", _load_blocks)


def is_domain_blocked(domain: str) -> bool:
    domains, _actors = blocked_sets()
    return any(parent in domains for parent in _parent_domains(domain.lower().rstrip(".")))


def is_blocked(*uris: str) -> bool:
    """Whether any of the URIs (actor, key id, object) is on a blocked domain or actor list.

    No query while the per-process copy is fresh: this runs on every inbox POST.
    """
    uris = tuple(uri for uri in uris if uri)
    if not uris:
        return False
    domains, actors = blocked_sets()
    if any(uri in actors for uri in uris):
        return True
    return any(
        parent in domains for uri in uris for parent in _parent_domains(domain_of(uri)) if parent
    )


for _model in (BlockedDomain, BlockedActor):
    post_save.connect(_blocks.clear_now_and_on_commit, sender=_model, weak=False)
    post_delete.connect(_blocks.clear_now_and_on_commit, sender=_model, weak=False)


@dataclass
class ImportResult:
    created: int
    updated: int
    skipped: list[str]


def import_domain_blocks(data: str) -> ImportResult:
    """Imports Mastodon's blocklist CSV (``#domain,#severity,#reject_media,…``).

    A file without a header row is read as one domain per line (first column). Rows with an
    unknown severity or an empty/invalid domain are skipped and reported, never half-saved.
    """
    rows = list(csv.reader(io.StringIO(data)))
    if not rows:
        return ImportResult(0, 0, [])
    header = [cell.strip().lstrip("#").lower() for cell in rows[0]]
    if "domain" in header:
        body = rows[1:]
    else:
        header, body = ["domain"], rows
    result = ImportResult(0, 0, [])
    for row in body:
        record = dict(zip(header, (cell.strip() for cell in row), strict=False))
        domain = record.get("domain", "").lower().rstrip(".")
        if not domain or domain.startswith("#"):
            continue
        severity = (record.get("severity") or "suspend").lower()
        if severity not in BlockSeverity.values or "/" in domain or " " in domain:
            result.skipped.append(",".join(row))
            continue
        _block, created = BlockedDomain.objects.update_or_create(
            domain=domain,
            defaults={
                "severity": severity,
                "public_comment": record.get("public_comment", "")[:500],
            },
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
