"""Cached HTML fragments of Interlink's own page parts, correct across web processes.

A call page's structured parts (its facts, related assets, participation, reuse and
"similar calls" sections) cost more than the rest of the page together: each needs its
own queries and templates, yet they change far less often than they are read. Each part
is cached under a key naming the page, its live revision and publication time, the
language, what the part varies on, and a *generation*: one number in the database
(``FragmentGeneration``) that grows whenever anything those parts show changes — a
page is published, unpublished, moved or deleted, a view restriction or taxonomy
changes, a contribution, support, team request or participant changes, a reuse is
recorded, the search index is updated, the brand changes. Reading the generation costs
one small query per request (it replaces the seven the parts needed), and because it is
in the database every process sees a change at once, even with Django's per-process
default cache. ``TIMEOUT`` is only a safety net.

Previews, revision views, pages that are not live and renders without a request are
never cached. Visitor-specific content (a signed-in participant, pending messages) is
the caller's to exclude; a CSRF token can be left out of the cached HTML and put back
per request (``render_split`` / ``join_split``).
"""

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import FragmentGeneration
from .models.fragments import ROW

TIMEOUT = 10 * 60
_REQUEST_ATTRIBUTE = "_interlink_fragment_generation"


def current_generation() -> int:
    """The generation in the database (0 before the first change)."""
    # A raw query: the ORM's query compilation would cost more than the query itself,
    # and this runs on every request that shows a cached fragment.
    table = connection.ops.quote_name(FragmentGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = %s", [ROW])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def generation(request) -> int:
    """The generation, read once per request."""
    value = getattr(request, _REQUEST_ATTRIBUTE, None)
    if value is None:
        value = current_generation()
        setattr(request, _REQUEST_ATTRIBUTE, value)
    return value


def remember(request, value: int) -> None:
    """Use ``value``, read along with another query of this request, as its generation."""
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, value)


def invalidate(**_signal_kwargs) -> None:
    """Start a new generation: every cached fragment is rendered afresh on its next view.

    Usable as a signal receiver. It runs inside the caller's transaction, so a rollback
    takes the new generation back with the change that caused it.
    """
    if FragmentGeneration.objects.filter(pk=ROW).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            FragmentGeneration.objects.create(pk=ROW, value=1)
    except IntegrityError:  # created meanwhile by another process
        FragmentGeneration.objects.filter(pk=ROW).update(value=F("value") + 1)


def cache_key(request, page, name: str, vary: Iterable[Any] = ()) -> str | None:
    """The key of ``page``'s fragment ``name``, or None when it must not be cached."""
    if request is None or getattr(request, "is_preview", False):
        return None
    if page is None or page.pk is None or not page.live or not page.live_revision_id:
        return None
    published = page.last_published_at.isoformat() if page.last_published_at else ""
    varies = ":".join(str(value) for value in vary)
    return (
        f"interlink:fragment:{name}:{page.pk}:{page.live_revision_id}:{published}:"
        f"{get_language()}:{generation(request)}:{varies}"
    )


def cached(request, page, name: str, render: Callable[[], Any], vary: Iterable[Any] = ()) -> Any:
    """``render()``'s result for ``page``'s fragment ``name``, from the cache when possible."""
    key = cache_key(request, page, name, vary)
    if key is None:
        return render()
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, TIMEOUT)
    return value


def cached_html(
    request, page, name: str, render: Callable[[], str], vary: Iterable[Any] = ()
) -> SafeString:
    """``cached`` for a fragment rendered by templates (safe HTML, kept safe from the cache)."""
    return mark_safe(cached(request, page, name, render, vary))  # noqa: S308 - template output


def render_split(render: Callable[[str], str]) -> list[str]:
    """Render with a one-off placeholder for the CSRF token; the HTML split around it.

    ``render(token)`` renders the fragment with ``token`` as the CSRF token. The
    placeholder is random, so no visitor's text can contain it.
    """
    placeholder = secrets.token_hex(16)
    return str(render(placeholder)).split(placeholder)


def join_split(parts: list[str], token: str) -> SafeString:
    """The HTML of ``render_split`` with this request's CSRF token (letters and digits)."""
    return mark_safe(token.join(parts))  # noqa: S308 - rendered HTML and a token
