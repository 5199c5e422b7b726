"""Reuse between two real nodes: over federation from B's catalogue, and by package.

Aurora publishes; Borealis follows it and reuses from its admin over real HTTP. Files
travel through Borealis's guarded outbound client (loopback allowed on test nodes only).
"""

import hashlib
import io
import json
import re
import zipfile

import pytest

from tests.support import federation as fed
from tests.support.nodes import wait_until

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]

ADD_DOCUMENT = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from interlink_blocks.models import AssetDocument, AssetPage
page = AssetPage.objects.get(pk={page_id})
document = get_document_model().objects.create(
    title={title!r}, file=ContentFile({content}, name={name!r}))
AssetDocument.objects.create(page=page, document=document)
page.save_revision().publish()
result = document.pk
"""

ADD_IMAGE = """
import io
from PIL import Image as PILImage
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from interlink_blocks.models import AssetImage, AssetPage
page = AssetPage.objects.get(pk={page_id})
buffer = io.BytesIO()
PILImage.new("RGB", (16, 9), "teal").save(buffer, "PNG")
image = get_image_model().objects.create(
    title="Street map", file=ImageFile(io.BytesIO(buffer.getvalue()), name="street-map.png"))
AssetImage.objects.create(page=page, image=image, alt_text="Lit streets in teal")
page.save_revision().publish()
result = image.pk
"""

# Over federation's 1 MiB cap for ActivityStreams documents, under the reuse file limit.
BIG_CONTENT = 'b"%PDF-1.4 " + bytes(range(256)) * 8192'
BIG_SHA256 = hashlib.sha256(b"%PDF-1.4 " + bytes(range(256)) * 8192).hexdigest()

REUSED = """
import hashlib
from interlink_blocks.models import AssetPage
from interlink_blocks.reuse.models import Provenance
rows = []
for p in Provenance.objects.select_related("page"):
    page = AssetPage.objects.get(pk=p.page_id)
    files = [d.file.read() for d in page.attachments]
    rows.append({{
        "title": page.title, "live": page.live, "channel": p.channel, "origin": p.origin_name,
        "origin_object_id": p.origin_object_id, "licence": p.licence,
        "files": [f.decode() if len(f) < 100 else hashlib.sha256(f).hexdigest() for f in files],
        "images": [[i.image.title, i.image.width, i.alt_text] for i in page.images.all()],
    }})
result = rows
"""

COUNTS = """
from pathlib import Path
from django.conf import settings
from wagtail.models import Page
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from interlink_blocks.reuse.models import Provenance
media = Path(settings.MEDIA_ROOT)
result = [Page.objects.count(), get_document_model().objects.count(),
          get_image_model().objects.count(), Provenance.objects.count(),
          sum(1 for f in media.rglob("*") if f.is_file()) if media.exists() else 0]
"""


@pytest.fixture(scope="module")
def pair(module_nodes):
    aurora, borealis = module_nodes("City of Aurora", "City of Borealis")
    fed.follow(borealis, aurora)
    return aurora, borealis


def _catalogue_uri(node, title: str) -> str:
    code = (
        "from interlink_federation.models import RemoteObject\n"
        f"row = RemoteObject.objects.filter(name={title!r}, deleted_at__isnull=True).first()\n"
        "result = row.uri if row else None"
    )
    wait_until(lambda: node.python(code), 20, 0.1, f"{title} in {node.name}'s catalogue")
    return node.python(code)


def _asset_index(node) -> int:
    return node.python(
        "from interlink_blocks.models import AssetIndexPage\nresult = AssetIndexPage.objects.get().pk"
    )


def _add_document(node, page_id: int, title: str, name: str, content: str) -> int:
    return node.python(
        ADD_DOCUMENT.format(page_id=page_id, title=title, name=name, content=content)
    )


def test_reuse_with_attachments_and_no_duplicate(pair):
    """Ensures that B reuses A's asset from its catalogue as a draft with A's files (one over
    1 MiB) and image, downloaded from A, and that a second reuse, offered or submitted, opens
    the draft instead of copying."""
    aurora, borealis = pair
    asset = aurora.publish_asset("Library survey kit", summary="Questions and a results template.")
    aurora.python(ADD_IMAGE.format(page_id=asset["id"]))
    _add_document(
        aurora, asset["id"], "Survey questions", "questions.pdf", repr(b"%PDF-1.4 questions")
    )
    _add_document(aurora, asset["id"], "Results template", "results.pdf", BIG_CONTENT)
    uri = _catalogue_uri(borealis, "Library survey kit")
    admin = borealis.admin()
    path = "/admin/reuse/remote/?object=" + uri
    page = admin.get(path)
    assert page.status_code == 200 and "Creative Commons Attribution 4.0" in page.text
    wait_until(
        lambda: "Results template" in str(borealis.python(
            f"from interlink_federation.models import RemoteObject\nresult = RemoteObject.objects.get(uri={uri!r}).document"
        )), 20, 0.2, "the updated object with its attachments")  # fmt: skip
    form = {"parent": _asset_index(borealis), "object": uri}
    response = admin.post_form(path, form, allow_redirects=False, timeout=60)
    assert response.status_code == 302 and "/admin/pages/" in response.headers["Location"]
    [row] = [r for r in borealis.python(REUSED.format()) if r["title"] == "Library survey kit"]
    assert row["live"] is False and row["channel"] == "federation"
    assert row["origin"] == "City of Aurora" and row["origin_object_id"] == uri
    assert row["files"] == ["%PDF-1.4 questions", BIG_SHA256]
    assert row["images"] == [["Street map", 16, "Lit streets in teal"]]
    again = admin.get(path)
    assert "Open the existing draft" in again.text and "Create a draft" not in again.text
    before = borealis.python(COUNTS)
    second = admin.post_form(path, form, allow_redirects=False)
    assert second.status_code == 302 and second.headers["Location"] == response.headers["Location"]
    assert borealis.python(COUNTS) == before


def test_refused_licence(pair):
    """Ensures that B cannot reuse A's all-rights-reserved asset and nothing is created."""
    aurora, borealis = pair
    aurora.publish_asset("Proprietary booking guide", licence="LicenseRef-All-rights-reserved")
    uri = _catalogue_uri(borealis, "Proprietary booking guide")
    admin = borealis.admin()
    path = "/admin/reuse/remote/?object=" + uri
    assert "does not allow adaptations" in admin.get(path).text
    before = borealis.python(COUNTS)
    response = admin.post_form(path, {"parent": _asset_index(borealis), "object": uri})
    assert response.status_code == 200 and "does not allow adaptations" in response.text
    assert borealis.python(COUNTS) == before


def _import(admin, borealis, name: str, data: bytes, **kwargs):
    return admin.post(
        "/admin/reuse/import/",
        data={"csrfmiddlewaretoken": admin.cookies["csrftoken"], "parent": _asset_index(borealis)},
        files={"package": (name, data, "application/zip")},
        headers={"Referer": borealis.url + "/admin/reuse/import/"},
        **kwargs,
    )


def _zip(*members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return out.getvalue()


def test_package_export_import_and_hostile_packages(pair):
    """Ensures that a package exported on A imports on B as a draft with its document and
    image and provenance, and hostile ones (path traversal, an oversized member, bad JSON)
    are refused with a message and leave nothing behind."""
    aurora, borealis = pair
    asset = aurora.publish_asset("Street lighting checklist", form="checklist")
    _add_document(aurora, asset["id"], "Checklist", "lights.pdf", repr(b"%PDF-1.4 lights"))
    aurora.python(ADD_IMAGE.format(page_id=asset["id"]))
    package = aurora.admin().get(f"/admin/reuse/export/{asset['id']}/")
    assert package.headers["Content-Type"] == "application/zip"
    admin = borealis.admin()
    admin.get("/admin/reuse/import/")
    response = _import(admin, borealis, "lights.zip", package.content, allow_redirects=False)
    assert response.status_code == 302
    [row] = [
        r for r in borealis.python(REUSED.format()) if r["title"] == "Street lighting checklist"
    ]
    assert row["channel"] == "package" and row["files"] == ["%PDF-1.4 lights"]
    assert row["images"] == [["Street map", 16, "Lit streets in teal"]]

    manifest = json.dumps({"format": "interlink-reuse-package/1", "metadata": {}})
    hostile = {
        "unsafe path": _zip(("manifest.json", "{}"), ("../../../tmp/evil.sh", "echo owned")),
        # 30 MB of zeros in a few KB: over the 25 MiB file limit, refused from its header.
        "larger than allowed": _zip(("manifest.json", manifest), ("files/big.pdf", b"\0" * 30_000_000)),
        "not valid JSON": _zip(("manifest.json", '{"format": "interlink-reuse-package/1", ')),
    }  # fmt: skip
    before = borealis.python(COUNTS)
    for message, data in hostile.items():
        response = _import(admin, borealis, "evil.zip", data)
        assert response.status_code == 200 and message in response.text, message
        assert borealis.python(COUNTS) == before, message


def test_upstream_update_compare_and_apply(pair):
    """Ensures that A's Update marks B's reuse "upstream changed", B's admin compares it, and applying makes a draft revision."""
    aurora, borealis = pair
    asset = aurora.publish_asset(
        "Winter gritting guide", summary="Which streets first.", version="1.0"
    )
    uri = _catalogue_uri(borealis, "Winter gritting guide")
    admin = borealis.admin()
    response = admin.post_form("/admin/reuse/remote/?object=" + uri,
                               {"parent": _asset_index(borealis), "object": uri}, allow_redirects=False)  # fmt: skip
    assert response.status_code == 302
    aurora.republish(asset["id"], title="Winter gritting guide, 2027 edition", version="2.0")
    state = (
        "from interlink_blocks.reuse.models import Provenance\n"
        f"p = Provenance.objects.get(origin_object_id={uri!r})\n"
        "result = [p.pk, p.state, p.page_id]"
    )
    wait_until(lambda: borealis.python(state)[1] == "upstream_changed", 20, 0.2, "upstream changed")
    provenance_id, _state, page_id = borealis.python(state)
    compare = admin.get(f"/admin/reuse/provenance/{provenance_id}/")
    assert compare.status_code == 200 and "2027 edition" in compare.text
    chosen = re.findall(r'name="fields" value="(\w+)" checked', compare.text)
    assert chosen == ["title", "version"]  # what the origin changed; nothing changed here
    token = re.search(r'name="token" value="(\w+)"', compare.text)[1]
    response = admin.post_form(f"/admin/reuse/provenance/{provenance_id}/",
                               {"fields": chosen, "token": token}, allow_redirects=False)  # fmt: skip
    assert response.status_code == 302
    draft = borealis.python(
        "from interlink_blocks.models import AssetPage\n"
        f"page = AssetPage.objects.get(pk={page_id})\n"
        "latest = page.get_latest_revision_as_object()\n"
        "result = [page.live, page.title, latest.title, latest.version]"
    )
    assert draft == [False, "Winter gritting guide", "Winter gritting guide, 2027 edition", "2.0"]
    assert borealis.python(state)[1] == "in_sync"
