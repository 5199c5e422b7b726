"""Bringing an origin's files in as Wagtail documents and images, within limits.

Files arrive through an injected ``fetch(url, max_bytes) -> (content, media_type)``:
federation passes its guarded outbound client, a package import passes a reader of
the package's own members. Only known document and image types are accepted, images
must decode as what their name says, and nothing is ever executed or unpacked. Every
file stored is remembered so a failed reuse can remove it again (database rows roll
back with the transaction; files in storage do not).
"""

import io
import logging
import os
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .errors import ReuseError

logger = logging.getLogger(__name__)

Fetch = Callable[[str, int], tuple[bytes, str]]

# Office, text and data formats an administration shares; no HTML, SVG, scripts or
# archives (an archive inside a reuse would be a second, unchecked package).
DOCUMENT_EXTENSIONS = {
    "pdf", "odt", "ods", "odp", "odg", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
    "rtf", "txt", "md", "csv", "json", "geojson", "epub",
}  # fmt: skip
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def limit(name: str) -> int:
    defaults = {
        "INTERLINK_REUSE_MAX_FILE_BYTES": 25 * 1024 * 1024,
        "INTERLINK_REUSE_MAX_FILES": 50,
    }
    return int(getattr(settings, name, defaults[name]))


def allowed_document_extensions() -> set[str]:
    site_allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    return DOCUMENT_EXTENSIONS & set(site_allowed) if site_allowed else DOCUMENT_EXTENSIONS


def _filename(url: str, title: str) -> str:
    name = os.path.basename(unquote(urlsplit(url).path)) or title or "file"
    return get_valid_filename(name)[:100] or "file"


class FileIngester:
    """Downloads and stores an origin's files; ``discard()`` undoes what it stored."""

    def __init__(self, fetch: Fetch | None):
        self.fetch = fetch
        self.stored: list[str] = []
        self.count = 0

    def _download(self, url: str, title: str) -> tuple[bytes, str]:
        if self.fetch is None:
            raise ReuseError(_("No way to download files is configured on this node."))
        self.count += 1
        if self.count > limit("INTERLINK_REUSE_MAX_FILES"):
            raise ReuseError(_("Too many files to reuse (the limit is %(n)s).")
                             % {"n": limit("INTERLINK_REUSE_MAX_FILES")})  # fmt: skip
        max_bytes = limit("INTERLINK_REUSE_MAX_FILE_BYTES")
        try:
            content, _media_type = self.fetch(url, max_bytes)
        except Exception as error:
            logger.info("Reuse: fetching %s failed: %s", url, error)
            raise ReuseError(
                _("Could not download “%(title)s”: %(error)s") % {"title": title, "error": error}
            ) from error
        if len(content) > max_bytes:
            raise ReuseError(_("“%(title)s” is larger than %(max)s bytes.")
                             % {"title": title, "max": max_bytes})  # fmt: skip
        return content, _filename(url, title)

    def document(self, url: str, title: str):
        content, name = self._download(url, title)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in allowed_document_extensions():
            raise ReuseError(
                _("“%(title)s” is a file type that is not accepted (%(ext)s).")
                % {"title": title, "ext": extension or _("no extension")}
            )
        document = get_document_model()(title=title[:255] or name)
        document.file.save(name, ContentFile(content), save=False)
        self.stored.append(document.file.name)
        document.save()
        return document

    def image(self, url: str, title: str):
        from PIL import Image as PILImage

        content, name = self._download(url, title)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        expected = IMAGE_FORMATS.get(extension)
        try:
            with PILImage.open(io.BytesIO(content)) as probe:
                actual = probe.format
                probe.verify()
        except Exception as error:
            raise ReuseError(
                _("“%(title)s” is not a readable image.") % {"title": title}
            ) from error
        if expected is None or actual != expected:
            raise ReuseError(
                _("“%(title)s” is not an accepted image (%(format)s).")
                % {"title": title, "format": actual or extension}
            )
        image = get_image_model()(title=title[:255] or name)
        image.file.save(name, ImageFile(io.BytesIO(content), name=name), save=False)
        self.stored.append(image.file.name)
        image.save()
        return image

    def discard(self) -> None:
        """Deletes every stored file (after the transaction that referenced them failed)."""
        for name in self.stored:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Reuse: could not remove %s after a failed reuse", name)
        self.stored.clear()


def http_fetch(request) -> Fetch:
    """Adapts a guarded ``request(method, url, follow_redirects=...)`` client to ``Fetch``.

    The client (federation's ``guarded_request``) refuses private addresses and caps
    the body; the size is checked again here against the reuse limit.
    """

    def fetch(url: str, max_bytes: int) -> tuple[bytes, str]:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ReuseError(_("Only http and https files can be reused."))
        response = request("GET", url, follow_redirects=True)
        if not 200 <= response.status < 300:
            raise ReuseError(_("The origin answered %(status)s.") % {"status": response.status})
        if len(response.body) > max_bytes:
            raise ReuseError(_("The file is larger than %(max)s bytes.") % {"max": max_bytes})
        return response.body, response.headers.get("content-type", "")

    return fetch


def configured_fetch() -> Fetch | None:
    """The node's outbound fetch (``INTERLINK_REUSE_HTTP_CLIENT``, a dotted path), if any."""
    from django.utils.module_loading import import_string

    path = getattr(settings, "INTERLINK_REUSE_HTTP_CLIENT", None)
    return http_fetch(import_string(path)) if path else None
