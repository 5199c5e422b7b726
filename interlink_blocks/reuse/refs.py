"""Origin file URLs → local documents and images, in two passes.

A reuse first *plans*: the content is applied to a scratch page with
``FileRefs(collect=True)``, which resolves files brought in before (the provenance's
``file_map``) and only lists the others. The listed files are then fetched outside any
transaction (``FileIngester.fetch_all``), and the content is applied for real with
``FileRefs(ingester=…)``, which inserts the fetched files' rows and never touches the
network. A ``FileRefs`` with neither only resolves known files (the comparison view).
"""

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .files import PACKAGE_FILES, FileIngester, Wanted, is_origin_document_link


class FileRefs:
    """``refs(kind, url, title, size=None)`` → a local object id, or ``None``."""

    def __init__(
        self,
        file_map: dict | None = None,
        *,
        ingester: FileIngester | None = None,
        collect: bool = False,
        link_hosts: set[str] | frozenset[str] = frozenset(),
        package: bool = False,
    ):
        self.file_map = dict(file_map or {})
        self.ingester = ingester
        self.collect = collect
        self.link_hosts = {host.lower() for host in link_hosts}
        self.package = package
        self._wanted: dict[str, Wanted] = {}

    @property
    def wanted(self) -> list[Wanted]:
        """Files the content needs that are not here yet (collecting pass)."""
        return list(self._wanted.values())

    def _known(self, kind: str, url: str) -> int | None:
        known = self.file_map.get(url)
        if not isinstance(known, dict) or known.get("kind") != kind:
            return None
        model = get_image_model() if kind == "image" else get_document_model()
        return known["id"] if model.objects.filter(pk=known.get("id")).exists() else None

    def __call__(self, kind: str, url: str, title: str, size: int | None = None) -> int | None:
        known = self._known(kind, url)
        if known is not None:
            return known
        if self.collect:
            self._wanted.setdefault(url, Wanted(kind, url, title, size))
            return None
        if self.ingester is None:
            return None
        pk = self.ingester.save(url, kind)
        if pk is not None:
            self.file_map[url] = {"kind": kind, "id": pk}
        return pk

    def is_document_link(self, url: str) -> bool:
        """Whether a rich text link is a document to bring in (see ``content``)."""
        if self.package:
            return url.startswith(PACKAGE_FILES)
        return is_origin_document_link(url, self.link_hosts)
