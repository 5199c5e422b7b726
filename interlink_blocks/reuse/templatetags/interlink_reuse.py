"""Public page fragments: attribution of a reused page and "reused by" of ours."""

from django import template

from ..models import Provenance, ReuseNotice
from ..services import http_url as _http_url

register = template.Library()


def reuse_context(page) -> dict:
    """Provenance and live reuse notices of ``page``, for the public fragment."""
    provenance = Provenance.objects.filter(page_id=page.pk).first()
    notices = list(ReuseNotice.objects.filter(page_id=page.pk, withdrawn=False))
    administrations = len({notice.actor_url for notice in notices})
    return {
        "page": page,
        "provenance": provenance,
        "notices": notices,
        "administrations": administrations,
    }


@register.inclusion_tag("interlink_reuse/includes/page_reuse.html")
def page_reuse(page):
    """Renders "Adapted from … by …" and "Reused by N administrations" for ``page``."""
    return reuse_context(page)


@register.filter
def get_publisher_name(entry) -> str:
    """The administration's name in one lineage entry (untrusted JSON: be defensive)."""
    publisher = entry.get("dct:publisher") if isinstance(entry, dict) else None
    name = publisher.get("foaf:name") if isinstance(publisher, dict) else None
    return str(name)[:200] if name else ""


@register.filter
def http_url(value) -> str:
    """The URL if it is http(s), else ``""``: stored links came from other servers, and a
    ``javascript:`` or ``data:`` URL must never become an ``href``."""
    return _http_url(value)
