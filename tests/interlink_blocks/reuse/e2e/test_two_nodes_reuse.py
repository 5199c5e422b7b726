"""Reuse between two real nodes: over federation from B's catalogue, and by package.

Aurora publishes; Borealis follows it and reuses from its admin over real HTTP. Files
travel through Borealis's guarded outbound client (loopback allowed on test nodes only).
"""

import io
import zipfile

import pytest

from tests.support import federation as fed
from tests.support.nodes import wait_until

pytestmark = pytest.mark.e2e

ADD_DOCUMENT = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from interlink_blocks.models import AssetDocument, AssetPage
page = AssetPage.objects.get(pk={page_id})
document = get_document_model().objects.create(
    title="Survey questions", file=ContentFile({content!r}, name="questions.pdf"))
AssetDocument.objects.create(page=page, document=document)
page.save_revision().publish()
result = document.pk
"""

REUSED = """
from interlink_blocks.models import AssetPage
from interlink_blocks.reuse.models import Provenance
rows = []
for p in Provenance.objects.select_related("page"):
    page = AssetPage.objects.get(pk=p.page_id)
    rows.append({{
        "title": page.title, "live": page.live, "channel": p.channel, "origin": p.origin_name,
        "origin_object_id": p.origin_object_id, "licence": p.licence,
        "files": [d.file.read().decode() for d in page.attachments],
    }})
result = rows
"""

COUNTS = """
from wagtail.models import Page
from wagtail.documents import get_document_model
result = [Page.objects.count(), get_document_model().objects.count()]
"""


@pytest.fixture(scope="module")
def pair(module_nodes):
    aurora, borealis = module_nodes("City of Aurora", "City of Borealis")
    fed.follow(borealis, aurora)
    return aurora, borealis


def _catalogue_uri(node, title: str) -> str:
    code = (
        "from federation.models import RemoteObject\n"
        f"row = RemoteObject.objects.filter(name={title!r}, deleted_at__isnull=True).first()\n"
        "result = row.uri if row else None"
    )
    wait_until(lambda: node.python(code), 20, 0.1, f"{title} in {node.name}'s catalogue")
    return node.python(code)


def _asset_index(node) -> int:
    return node.python(
        "from interlink_blocks.models import AssetIndexPage\nresult = AssetIndexPage.objects.get().pk"
    )


def test_reuse_with_attachment_and_no_duplicate(pair):
    """Ensures that B reuses A's asset from its catalogue as a draft with A's file, and a second reuse offers the draft."""
    aurora, borealis = pair
    asset = aurora.publish_asset("Library survey kit", summary="Questions and a results template.")
    aurora.python(ADD_DOCUMENT.format(page_id=asset["id"], content=b"%PDF-1.4 questions"))
    uri = _catalogue_uri(borealis, "Library survey kit")
    admin = borealis.admin()
    path = "/admin/reuse/remote/?object=" + uri
    page = admin.get(path)
    assert page.status_code == 200 and "Creative Commons Attribution 4.0" in page.text
    wait_until(
        lambda: "Survey questions" in str(borealis.python(
            f"from federation.models import RemoteObject\nresult = RemoteObject.objects.get(uri={uri!r}).document"
        )), 20, 0.2, "the updated object with its attachment")  # fmt: skip
    response = admin.post_form(path, {"parent": _asset_index(borealis), "object": uri},
                               allow_redirects=False)  # fmt: skip
    assert response.status_code == 302 and "/admin/pages/" in response.headers["Location"]
    [row] = [r for r in borealis.python(REUSED.format()) if r["title"] == "Library survey kit"]
    assert row["live"] is False and row["channel"] == "federation"
    assert row["origin"] == "City of Aurora" and row["origin_object_id"] == uri
    assert row["files"] == ["%PDF-1.4 questions"]
    again = admin.get(path)
    assert "Open the existing draft" in again.text and "Create a draft" not in again.text


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


def test_package_export_import_and_hostile_package(pair):
    """Ensures that a package exported on A imports on B as a draft with provenance, and a hostile one leaves nothing."""
    aurora, borealis = pair
    asset = aurora.publish_asset("Street lighting checklist", form="checklist")
    aurora.python(ADD_DOCUMENT.format(page_id=asset["id"], content=b"%PDF-1.4 lights"))
    package = aurora.admin().get(f"/admin/reuse/export/{asset['id']}/")
    assert package.headers["Content-Type"] == "application/zip"
    admin = borealis.admin()
    admin.get("/admin/reuse/import/")
    response = admin.post(
        "/admin/reuse/import/",
        data={"csrfmiddlewaretoken": admin.cookies["csrftoken"], "parent": _asset_index(borealis)},
        files={"package": ("lights.zip", package.content, "application/zip")},
        headers={"Referer": borealis.url + "/admin/reuse/import/"},
        allow_redirects=False,
    )
    assert response.status_code == 302
    [row] = [
        r for r in borealis.python(REUSED.format()) if r["title"] == "Street lighting checklist"
    ]
    assert row["channel"] == "package" and row["files"] == ["%PDF-1.4 lights"]

    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../../../tmp/evil.sh", "echo owned")
    before = borealis.python(COUNTS)
    response = admin.post(
        "/admin/reuse/import/",
        data={"csrfmiddlewaretoken": admin.cookies["csrftoken"], "parent": _asset_index(borealis)},
        files={"package": ("evil.zip", hostile.getvalue(), "application/zip")},
        headers={"Referer": borealis.url + "/admin/reuse/import/"},
    )
    assert response.status_code == 200 and "unsafe path" in response.text
    assert borealis.python(COUNTS) == before


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
    response = admin.post_form(f"/admin/reuse/provenance/{provenance_id}/", allow_redirects=False)
    assert response.status_code == 302
    draft = borealis.python(
        "from interlink_blocks.models import AssetPage\n"
        f"page = AssetPage.objects.get(pk={page_id})\n"
        "latest = page.get_latest_revision_as_object()\n"
        "result = [page.live, page.title, latest.title, latest.version]"
    )
    assert draft == [False, "Winter gritting guide", "Winter gritting guide, 2027 edition", "2.0"]
    assert borealis.python(state)[1] == "in_sync"
