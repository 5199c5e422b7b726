"""Our own calls and assets, named by a reference that came from another server.

Only forms we publish count, and URLs only on one of our own sites:

* ``urn:uuid:<uuid>`` (the ``dct:identifier`` every export carries) or a bare UUID;
* the object id federation serves, ``<site root>/ap/objects/<uuid>``
  (docs/federation.md);
* the page's own URL on its site (with or without a language prefix).

A URL on any other host never names our page, whatever its last segment is.
"""

import re
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site

OBJECT_PATH = re.compile(r"^/ap/objects/(?P<uuid>[0-9a-fA-F-]{32,36})/?$")


def _host_port(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return parts.hostname.lower(), port


def our_site(url: str) -> Site | None:
    """The site of ours whose address ``url`` is on, if any."""
    address = _host_port(url) if isinstance(url, str) else None
    if address is None:
        return None
    for site in Site.objects.select_related("root_page"):
        if (site.hostname.lower(), site.port) == address:
            return site
    return None


def _by_uuid(key: uuid.UUID, site: Site | None = None):
    from ..models import AssetPage, CallPage

    for model in (AssetPage, CallPage):
        pages = model.objects.filter(uuid=key)
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        page = pages.first()
        if page is not None:
            return page
    return None


def _by_path(site: Site, path: str):
    from ..models import AssetPage, CallPage

    segments = [segment for segment in path.split("/") if segment]
    languages = {code for code, _name in settings.LANGUAGES}
    if segments and segments[0] in languages:
        segments = segments[1:]  # i18n_patterns: /es/calls/x/ is the page /calls/x/
    url_path = site.root_page.url_path + "".join(f"{segment}/" for segment in segments)
    for model in (CallPage, AssetPage):
        page = model.objects.filter(url_path=url_path).first()
        if page is not None:
            return page
    return None


def find_local_page(reference):
    """Our call or asset named by ``reference`` (see the module docstring), or ``None``."""
    if not isinstance(reference, str) or not reference.strip():
        return None
    text = reference.strip()
    if "://" not in text:
        try:
            return _by_uuid(uuid.UUID(text.removeprefix("urn:uuid:")))
        except ValueError:
            return None
    site = our_site(text)
    if site is None:
        return None
    path = urlsplit(text).path
    match = OBJECT_PATH.match(path)
    if match:
        try:
            return _by_uuid(uuid.UUID(match["uuid"]), site)
        except ValueError:
            return None
    return _by_path(site, path)


def is_public(page) -> bool:
    """Live, not expired and without view restrictions: what anyone may see and support."""
    return bool(page.live and not page.expired and not page.get_view_restrictions().exists())
