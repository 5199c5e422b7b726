"""Bringing an origin's files in as Wagtail documents and images, within limits.

Files arrive through an injected ``fetch(url, max_bytes) -> (content, media_type)``:
federation passes its guarded outbound client, a package import passes a reader of
the package's own members. Only known document and image types are accepted, images
must decode as what their name says and pass Wagtail's own image limits, and nothing is
ever executed or unpacked.

Downloads happen *before* any database write: ``FileIngester.fetch_all`` runs outside
the transaction, writes each file to storage and keeps it as an unsaved document or
image; inside the transaction ``save(url)`` only inserts its row. Every file stored is
remembered, so a failed reuse removes it again (rows roll back with the transaction;
files in storage do not).
"""

import io
import logging
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
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

# Where a package keeps its files; rich text links there are the package's own documents.
PACKAGE_FILES = "files/"


def limit(name: str) -> int:
    defaults = {
        "INTERLINK_REUSE_MAX_FILE_BYTES": 25 * 1024 * 1024,
        "INTERLINK_REUSE_MAX_FILES": 50,
        "INTERLINK_REUSE_HTTP_TIMEOUT": 60,
        "INTERLINK_REUSE_DOWNLOAD_TIMEOUT": 180,
    }
    return int(getattr(settings, name, defaults[name]))


def allowed_document_extensions() -> set[str]:
    site_allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    return DOCUMENT_EXTENSIONS & set(site_allowed) if site_allowed else DOCUMENT_EXTENSIONS


def _filename(url: str, title: str) -> str:
    name = os.path.basename(unquote(urlsplit(url).path)) or title or "file"
    return get_valid_filename(name)[:100] or "file"


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_origin_document_link(url: str, hosts: set[str]) -> bool:
    """Whether a rich text link is one of the origin's Wagtail documents.

    Rich text exports document links as the document's serve URL made absolute
    (``https://origin/documents/<id>/<name>``); only such URLs on the origin's own
    host count, never a link to some other site.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in hosts:
        return False
    try:
        return resolve(parts.path).url_name == "wagtaildocs_serve"
    except Resolver404:
        return False


@dataclass
class Wanted:
    """A file the origin's content refers to and that is not here yet."""

    kind: str  # "document" or "image"
    url: str
    title: str
    size: int | None = None  # as declared by the origin (dcat:byteSize), if at all


class FileIngester:
    """Downloads, checks and stores an origin's files; ``discard()`` undoes what it stored."""

    def __init__(self, fetch: Fetch | None):
        self.fetch = fetch
        self.stored: list[str] = []
        self.pending: dict[str, object] = {}  # origin URL → unsaved document or image

    def fetch_all(self, wanted: list["Wanted"]) -> None:
        """Brings in every wanted file, or none: limits are checked before the first download."""
        if not wanted:
            return
        if self.fetch is None:
            raise ReuseError(_("No way to download files is configured on this node."))
        if len(wanted) > limit("INTERLINK_REUSE_MAX_FILES"):
            raise ReuseError(_("Too many files to reuse (the limit is %(n)s).")
                             % {"n": limit("INTERLINK_REUSE_MAX_FILES")})  # fmt: skip
        max_bytes = limit("INTERLINK_REUSE_MAX_FILE_BYTES")
        for item in wanted:
            if item.size is not None and item.size > max_bytes:
                raise ReuseError(self._too_large(item.title, max_bytes))
        for item in wanted:
            make = self.image if item.kind == "image" else self.document
            self.pending[item.url] = make(item.url, item.title)

    @staticmethod
    def _too_large(title: str, max_bytes: int) -> str:
        return _("“%(title)s” is larger than the limit for reused files (%(max)s).") % {
            "title": title,
            "max": filesizeformat(max_bytes),
        }

    def _download(self, url: str, title: str) -> tuple[bytes, str]:
        max_bytes = limit("INTERLINK_REUSE_MAX_FILE_BYTES")
        try:
            content, _media_type = self.fetch(url, max_bytes)
        except ReuseError as error:
            raise ReuseError(
                _("Could not download “%(title)s”: %(error)s") % {"title": title, "error": error}
            ) from error
        except Exception as error:  # the client's own errors: refused address, too large, …
            logger.info("Reuse: fetching %s failed: %s", url, error)
            raise ReuseError(
                _("Could not download “%(title)s”: %(error)s") % {"title": title, "error": error}
            ) from error
        if len(content) > max_bytes:
            raise ReuseError(self._too_large(title, max_bytes))
        return content, _filename(url, title)

    def document(self, url: str, title: str):
        """An unsaved document whose file is already in storage."""
        content, name = self._download(url, title)
        extension = _extension(name)
        if extension not in allowed_document_extensions():
            raise ReuseError(
                _("“%(title)s” is a file type that is not accepted (%(ext)s).")
                % {"title": title, "ext": extension or _("no extension")}
            )
        document = get_document_model()(title=title[:255] or name)
        document.file.save(name, ContentFile(content), save=False)
        self.stored.append(document.file.name)
        return document

    def image(self, url: str, title: str):
        """An unsaved image whose file is already in storage, within Wagtail's image limits."""
        content, name = self._download(url, title)
        check_image(content, name, title)
        image = get_image_model()(title=title[:255] or name)
        image.file.save(name, ImageFile(io.BytesIO(content), name=name), save=False)
        self.stored.append(image.file.name)
        return image

    def save(self, url: str, kind: str) -> int | None:
        """Inserts the row of a file fetched before (inside the caller's transaction)."""
        obj = self.pending.get(url)
        model = get_image_model() if kind == "image" else get_document_model()
        if not isinstance(obj, model):
            return None
        if obj.pk is None:
            obj.save()
        return obj.pk

    def discard_unused(self) -> None:
        """Deletes files fetched but never saved as a row (after a successful reuse)."""
        for obj in self.pending.values():
            if obj.pk is None:
                self._delete(obj.file.name)

    def discard(self) -> None:
        """Deletes every stored file (after the transaction that referenced them failed)."""
        for name in self.stored:
            self._delete(name)
        self.stored.clear()

    def _delete(self, name: str) -> None:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Reuse: could not remove %s after a failed reuse", name)


def check_image(content: bytes, name: str, title: str) -> None:
    """Refuses what Wagtail would refuse on upload, and anything that is not the image it claims.

    Wagtail's own ``WagtailImageField`` checks ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``,
    ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (from the header, before decoding: a small file
    claiming a huge canvas is a decompression bomb) and that the format matches the name.
    """
    from PIL import Image as PILImage
    from wagtail.images.fields import WagtailImageField

    expected = IMAGE_FORMATS.get(_extension(name))
    if expected is None:
        raise ReuseError(
            _("“%(title)s” is not an accepted image (%(format)s).")
            % {"title": title, "format": _extension(name) or _("no extension")}
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            WagtailImageField().clean(SimpleUploadedFile(name, content))
        except ValidationError as error:
            raise ReuseError(
                _("“%(title)s” cannot be used as an image: %(reason)s")
                % {"title": title, "reason": " ".join(error.messages)}
            ) from error
        try:
            with PILImage.open(io.BytesIO(content)) as probe:
                actual = probe.format
                probe.verify()
        except Exception as error:
            raise ReuseError(
                _("“%(title)s” is not a readable image.") % {"title": title}
            ) from error
    if actual != expected:
        raise ReuseError(
            _("“%(title)s” is not an accepted image (%(format)s).")
            % {"title": title, "format": actual or _extension(name)}
        )


def http_fetch(request, *, timeout: float | None = None, total: float | None = None) -> Fetch:
    """Adapts a guarded ``request(method, url, follow_redirects=…, max_bytes=…, timeout=…)``.

    The client (federation's ``guarded_request``) refuses private addresses; each call
    passes the reuse file limit as ``max_bytes`` (federation's own 1 MiB cap is for
    ActivityStreams documents) and ``timeout`` seconds per file
    (``INTERLINK_REUSE_HTTP_TIMEOUT``). All downloads of one reuse share a budget of
    ``INTERLINK_REUSE_DOWNLOAD_TIMEOUT`` seconds, so the editor's request ends in time.
    """
    per_file = float(timeout or limit("INTERLINK_REUSE_HTTP_TIMEOUT"))
    budget = float(total or limit("INTERLINK_REUSE_DOWNLOAD_TIMEOUT"))
    started: list[float] = []

    def fetch(url: str, max_bytes: int) -> tuple[bytes, str]:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ReuseError(_("Only http and https files can be reused."))
        now = time.monotonic()
        started[:] = started or [now]
        remaining = budget - (now - started[0])
        if remaining <= 0:
            raise ReuseError(
                _("Downloading the files took longer than %(seconds)s seconds.")
                % {"seconds": int(budget)}
            )
        response = request(
            "GET", url, follow_redirects=True, max_bytes=max_bytes, timeout=min(per_file, remaining)
        )
        if not 200 <= response.status < 300:
            raise ReuseError(_("The origin answered %(status)s.") % {"status": response.status})
        if len(response.body) > max_bytes:
            raise ReuseError(_("The file is larger than %(max)s bytes.") % {"max": max_bytes})
        return response.body, response.headers.get("content-type", "")

    return fetch


# The outbound client an installed app offers for downloads (federation's guarded client,
# registered by federation when both apps are installed); the setting overrides it.
_offered_client: Callable[..., Any] | None = None


def offer_http_client(request: Callable[..., Any]) -> None:
    """Lets an app provide the guarded ``request`` that downloads reused files."""
    global _offered_client
    _offered_client = request


def configured_fetch() -> Fetch | None:
    """The node's outbound fetch: ``INTERLINK_REUSE_HTTP_CLIENT`` (a dotted path) if set,
    else the client an installed app offered, else none (files are not downloaded)."""
    from django.utils.module_loading import import_string

    path = getattr(settings, "INTERLINK_REUSE_HTTP_CLIENT", None)
    if path:
        return http_fetch(import_string(path))
    return http_fetch(_offered_client) if _offered_client is not None else None
