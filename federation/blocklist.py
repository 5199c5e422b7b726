"""Blocklist checks (before any fetch) and the shared-blocklist CSV import."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from .models import BlockedActor, BlockedDomain, BlockSeverity


def domain_of(uri: str) -> str:
    return (urlsplit(uri).hostname or "").lower().rstrip(".")


def _parent_domains(domain: str) -> list[str]:
    """``a.b.example`` → ``[a.b.example, b.example, example]``: a block covers subdomains."""
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]


def is_domain_blocked(domain: str) -> bool:
    return (
        BlockedDomain.objects.filter(domain__in=_parent_domains(domain.lower().rstrip(".")))
        .exclude(severity=BlockSeverity.NOOP)
        .exists()
    )


def is_blocked(*uris: str) -> bool:
    """Whether any of the URIs (actor, key id, object) is on a blocked domain or actor list.

    Two queries whatever the number of URIs: this runs on every inbox POST.
    """
    uris = tuple(uri for uri in uris if uri)
    if not uris:
        return False
    domains = {parent for uri in uris for parent in _parent_domains(domain_of(uri)) if parent}
    if (
        BlockedDomain.objects.filter(domain__in=domains)
        .exclude(severity=BlockSeverity.NOOP)
        .exists()
    ):
        return True
    return BlockedActor.objects.filter(uri__in=uris).exists()


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
