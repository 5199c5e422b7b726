"""Reuse without federation: a call or asset as a zip package, and back.

A package holds ``manifest.json`` (the same ADMS-AP/DCAT metadata federation sends,
with file URLs replaced by paths inside the zip), the files under ``files/`` and, for
software assets, ``publiccode.yml``. Importing goes through the same reuse service as
federation (licence, duplicates, provenance), with a ``fetch`` that reads only the
package's own validated members: a package can never make the node fetch a URL.

Every package is checked before anything is created: member names (no absolute paths,
no ``..``, no backslashes or drive letters, no symlinks, no duplicates), member count,
declared and actual sizes (a member that inflates beyond what it declares, or with an
absurd compression ratio, is a zip bomb), JSON validity and types.
"""

import hashlib
import html
import io
import json
import posixpath
import re
import stat
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ..metadata import MetadataError, file_url, metadata_kind, page_metadata
from .errors import ReuseError, ReuseRefused
from .files import PACKAGE_FILES
from .models import ReuseChannel
from .publiccode import PUBLICCODE_NAME, metadata_to_publiccode, publiccode_to_metadata
from .services import Origin, ReuseResult, reuse_origin

MANIFEST_NAME = "manifest.json"
PACKAGE_FORMAT = "interlink-reuse-package/1"
MAX_COMPRESSION_RATIO = 100
# Far deeper than any page's body; deeper JSON is an attack on the parser, not content.
MAX_MANIFEST_DEPTH = 64
_SHA256 = re.compile(r"[0-9a-f]{64}")
# A document link in Wagtail's stored rich text: <a linktype="document" id="12">.
_DOCUMENT_LINK = re.compile(r'<a\b(?=[^>]*\blinktype="document")[^>]*\bid="(\d+)"')


class PackageError(ReuseRefused):
    """The package is malformed or hostile; nothing was created."""


def package_limit(name: str) -> int:
    defaults = {
        "INTERLINK_PACKAGE_MAX_BYTES": 100 * 1024 * 1024,
        "INTERLINK_PACKAGE_MAX_MEMBERS": 200,
        "INTERLINK_PACKAGE_MAX_MANIFEST_BYTES": 1024 * 1024,
    }
    return int(getattr(settings, name, defaults[name]))


# --- export ----------------------------------------------------------------------


def _file_objects(page) -> list:
    """Documents and images the page shows: attachments, images, those in the body's
    blocks and documents linked from its rich text."""
    from wagtail import blocks
    from wagtail.documents import get_document_model

    from ..metadata import walk_stream

    objects = []
    if hasattr(page, "documents"):
        objects += [item.document for item in page.documents.select_related("document")]
        objects += [item.image for item in page.images.select_related("image")]

    def on_chooser(block: blocks.ChooserBlock, value):
        if value not in (None, ""):
            obj = block.target_model._default_manager.filter(pk=value).first()
            if obj is not None and hasattr(obj, "file"):
                objects.append(obj)
        return value

    linked: list[int] = []

    def on_rich_text(text):
        linked.extend(int(pk) for pk in _DOCUMENT_LINK.findall(text or ""))
        return text

    stream_block = page._meta.get_field("body").stream_block
    walk_stream(stream_block, page.body.get_prep_value(), on_chooser, on_rich_text)
    documents = get_document_model().objects.in_bulk(linked)
    return objects + [documents[pk] for pk in linked if pk in documents]


def export_package(page, *, base_url: str | None = None) -> bytes:
    """The page as a zip package (bytes)."""
    page = page.specific
    site = page.get_site()
    base_url = base_url or (site.root_url if site else "http://localhost")
    metadata = page_metadata(page, base_url=base_url)
    by_url = {file_url(obj, base_url): obj for obj in _file_objects(page)}
    paths: dict[str, str] = {}
    files = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (url, obj) in enumerate(by_url.items(), start=1):
            name = get_valid_filename(posixpath.basename(obj.file.name)) or "file"
            path = f"files/{number:03d}-{name}"
            with obj.file.open("rb") as handle:
                content = handle.read()
            archive.writestr(path, content)
            paths[url] = path
            files.append(
                {
                    "path": path,
                    "dcat:byteSize": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }  # fmt: skip
            )
        metadata = _replace_urls(metadata, paths)
        manifest = {
            "format": PACKAGE_FORMAT,
            "origin": {
                "foaf:name": (metadata.get("dct:publisher") or {}).get("foaf:name", ""),
                "dcat:landingPage": page.full_url if page.live else None,
            },
            "metadata": metadata,
            "files": files,
        }
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2, ensure_ascii=False))
        if metadata.get("dct:type") == "software":
            archive.writestr(PUBLICCODE_NAME, metadata_to_publiccode(metadata))
    return buffer.getvalue()


def _replace_urls(value, paths: dict[str, str]):
    """File URLs replaced by package paths: whole values, and links inside rich text."""
    if isinstance(value, dict):
        return {key: _replace_urls(item, paths) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_urls(item, paths) for item in value]
    if isinstance(value, str) and value in paths:
        return paths[value]
    if isinstance(value, str) and 'href="' in value:
        for url, path in paths.items():
            for form in {url, html.escape(url)}:
                value = value.replace(f'href="{form}"', f'href="{path}"')
    return value


# --- import ----------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    if len(name) > 2 and name[1] == ":":
        return False
    parts = name.split("/")
    return not any(part in ("..", ".") for part in parts) and posixpath.normpath(
        name
    ) == name.rstrip("/")


class CheckedPackage:
    """A zip whose members passed every check; members are read with their size capped."""

    def __init__(self, data: bytes):
        if len(data) > package_limit("INTERLINK_PACKAGE_MAX_BYTES"):
            raise PackageError(_("The package is larger than allowed."))
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            members = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
            raise PackageError(_("This is not a valid zip package.")) from error
        if len(members) > package_limit("INTERLINK_PACKAGE_MAX_MEMBERS"):
            raise PackageError(_("The package has too many files."))
        max_file = int(getattr(settings, "INTERLINK_REUSE_MAX_FILE_BYTES", 25 * 1024 * 1024))
        total_limit = package_limit("INTERLINK_PACKAGE_MAX_BYTES")
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.declared: dict[str, dict] | None = None
        total = 0
        for info in members:
            name = info.filename
            if not _safe_member_name(name):
                raise PackageError(
                    _("The package contains an unsafe path: %(name)s") % {"name": name[:200]}
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageError(
                    _("The package contains a symbolic link: %(name)s") % {"name": name}
                )
            if name in self.members:
                raise PackageError(_("The package names a file twice: %(name)s") % {"name": name})
            if info.is_dir():
                continue
            if info.file_size > max_file:
                raise PackageError(_("“%(name)s” is larger than allowed.") % {"name": name})
            if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1024):
                raise PackageError(
                    _("“%(name)s” is compressed suspiciously well (a zip bomb?).") % {"name": name}
                )
            total += info.file_size
            if total > total_limit:
                raise PackageError(_("The package unpacks to more than allowed."))
            self.members[name] = info

    def read(self, name: str, max_bytes: int) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise PackageError(_("The package does not contain %(name)s.") % {"name": name[:200]})
        if info.file_size > max_bytes:
            raise PackageError(
                _("“%(name)s” is larger than allowed (%(max)s).")
                % {"name": name, "max": filesizeformat(max_bytes)}
            )
        try:
            with self.archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
            raise PackageError(_("“%(name)s” is damaged.") % {"name": name}) from error
        if len(content) > info.file_size:
            # More data than the member declares: a lying header, refuse.
            raise PackageError(_("“%(name)s” is larger than it declares.") % {"name": name})
        return content

    def declare(self, files) -> None:
        """The manifest's ``files`` (path, size, SHA-256): every file read is checked against it."""
        if not isinstance(files, list) or not all(
            isinstance(item, dict)
            and isinstance(item.get("path"), str)
            and isinstance(item.get("sha256"), str)
            and _SHA256.fullmatch(item["sha256"])
            and isinstance(item.get("dcat:byteSize", 0), int)
            for item in files
        ):
            raise PackageError(
                _("manifest.json: files must be a list of objects with a path and a SHA-256.")
            )
        self.declared = {item["path"]: item for item in files}

    def fetch(self, url: str, max_bytes: int) -> tuple[bytes, str]:
        """The reuse service's ``fetch``: only members under ``files/``, never the network."""
        if not url.startswith(PACKAGE_FILES):
            raise PackageError(
                _("The package refers to a file outside itself: %(url)s") % {"url": url[:200]}
            )
        content = self.read(url, max_bytes)
        if self.declared is not None:
            item = self.declared.get(url)
            if item is None:
                raise PackageError(_("manifest.json does not list %(name)s.") % {"name": url[:200]})
            size = item.get("dcat:byteSize", len(content))
            if size != len(content) or hashlib.sha256(content).hexdigest() != item["sha256"]:
                raise PackageError(
                    _("“%(name)s” does not match its checksum in manifest.json.") % {"name": url}
                )
        return content, ""


def _depth(value) -> int:
    """How deeply ``value`` nests (iteratively: a deep value must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_MANIFEST_DEPTH:
            break
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return deepest


def read_package(data: bytes) -> tuple[CheckedPackage | None, Origin]:
    """Checks a package (zip) or a bare ``publiccode.yml`` and returns what to reuse."""
    manifest_limit = package_limit("INTERLINK_PACKAGE_MAX_MANIFEST_BYTES")
    if not data.startswith(b"PK"):
        if len(data) > manifest_limit:
            raise PackageError(
                _("publiccode.yml is larger than allowed (%(max)s).")
                % {"max": filesizeformat(manifest_limit)}
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PackageError(
                _("This is neither a zip package nor a publiccode.yml file.")
            ) from error
        return None, Origin(metadata=publiccode_to_metadata(text))
    package = CheckedPackage(data)
    if MANIFEST_NAME not in package.members:
        if PUBLICCODE_NAME in package.members:
            text = package.read(PUBLICCODE_NAME, manifest_limit).decode("utf-8", "replace")
            return package, Origin(metadata=publiccode_to_metadata(text))
        raise PackageError(_("The package has no manifest.json."))
    try:
        manifest = json.loads(package.read(MANIFEST_NAME, manifest_limit))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise PackageError(_("manifest.json is not valid JSON.")) from error
    if _depth(manifest) > MAX_MANIFEST_DEPTH:
        raise PackageError(_("manifest.json is nested too deeply."))
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        raise PackageError(_("manifest.json is not an Interlink reuse package manifest."))
    metadata, origin = manifest.get("metadata"), manifest.get("origin") or {}
    if not isinstance(metadata, dict) or not isinstance(origin, dict):
        raise PackageError(_("manifest.json: metadata and origin must be objects."))
    if "files" in manifest:
        package.declare(manifest["files"])
    try:
        metadata_kind(metadata)
    except MetadataError as error:
        raise PackageError(str(error)) from error
    name, landing = origin.get("foaf:name"), origin.get("dcat:landingPage")
    return package, Origin(
        metadata=metadata,
        url=landing
        if isinstance(landing, str) and landing.startswith(("http://", "https://"))
        else "",
        actor_name=name[:200] if isinstance(name, str) else "",
    )


def import_package(data: bytes, *, parent, user) -> ReuseResult:
    """Imports a package as a draft under ``parent``; raises ``ReuseError`` subclasses."""
    package, origin = read_package(data)
    fetch = package.fetch if package is not None else _no_files
    return reuse_origin(origin, parent=parent, user=user, fetch=fetch, channel=ReuseChannel.PACKAGE)


def _no_files(url: str, max_bytes: int) -> tuple[bytes, str]:
    raise ReuseError(
        _("A publiccode.yml file alone cannot bring files: %(url)s") % {"url": url[:200]}
    )
