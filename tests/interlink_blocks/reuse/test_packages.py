"""Reuse packages: export, import with provenance, publiccode.yml, hostile packages refused."""

import io
import json
import zipfile

import pytest
import yaml
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page

from interlink_blocks.models import AssetDocument, AssetPage
from interlink_blocks.reuse.errors import DuplicateReuse, ReuseError, ReuseRefused
from interlink_blocks.reuse.models import Provenance
from interlink_blocks.reuse.packages import export_package, import_package

from .conftest import object_counts, stored_file_count


@pytest.fixture
def asset_with_document(make_asset):
    asset = make_asset(form="software", version="1.2", source_url="https://code.example.org/tool")
    document = get_document_model().objects.create(
        title="Manual", file=ContentFile(b"manual text", name="manual.txt")
    )
    AssetDocument.objects.create(page=asset, document=document)
    asset.save_revision().publish()
    return asset


def test_export_then_import_makes_draft_with_provenance(
    asset_with_document, other_assets, admin_user
):
    """Ensures that an exported package imports as a draft copy with its file and provenance."""
    data = export_package(asset_with_document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
        publiccode = yaml.safe_load(archive.read("publiccode.yml"))
    assert manifest["metadata"]["dct:identifier"] == f"urn:uuid:{asset_with_document.uuid}"
    [distribution] = manifest["metadata"]["dcat:distribution"]
    assert distribution["dcat:downloadURL"] in names
    assert publiccode["name"] == asset_with_document.title
    assert publiccode["legal"]["license"] == "CC-BY-4.0"

    result = import_package(data, parent=other_assets, user=admin_user)
    copy = AssetPage.objects.get(pk=result.page.pk)
    assert not copy.live and copy.uuid != asset_with_document.uuid
    assert copy.attachments[0].file.read() == b"manual text"
    provenance = Provenance.objects.get(page=copy)
    assert provenance.channel == "package"
    assert provenance.origin_identifier == f"urn:uuid:{asset_with_document.uuid}"
    with pytest.raises(DuplicateReuse):
        import_package(data, parent=other_assets, user=admin_user)


def test_import_refuses_licence(asset_with_document, other_assets, admin_user):
    """Ensures that a package under a licence forbidding adaptation is refused."""
    data = _rewrite(export_package(asset_with_document), lambda m: m["metadata"].update(
        {"dct:license": "http://spdx.org/licenses/CC-BY-ND-4.0"}))  # fmt: skip
    with pytest.raises(ReuseRefused, match="does not allow"):
        import_package(data, parent=other_assets, user=admin_user)


def test_publiccode_round_trip(other_assets, admin_user):
    """Ensures that a bare publiccode.yml imports as a software asset draft."""
    text = yaml.safe_dump({
        "publiccodeYmlVersion": "0.4", "name": "Appointment booking", "url": "https://code.example.org/book",
        "softwareVersion": "2.0", "developmentStatus": "stable", "legal": {"license": "EUPL-1.2"},
        "description": {"en": {"shortDescription": "Book an appointment at the town hall."}},
    })  # fmt: skip
    result = import_package(text.encode(), parent=other_assets, user=admin_user)
    page = AssetPage.objects.get(pk=result.page.pk)
    assert (page.title, page.form, page.licence, page.version, page.maturity) == (
        "Appointment booking",
        "software",
        "EUPL-1.2",
        "2.0",
        "mature",
    )
    assert page.source_url == "https://code.example.org/book"


def test_publiccode_is_loaded_safely(other_assets, admin_user):
    """Ensures that YAML tags that would build Python objects are refused, not executed."""
    text = "publiccodeYmlVersion: '0.4'\nname: !!python/object/apply:os.system ['true']\n"
    with pytest.raises(ReuseRefused, match="not valid YAML"):
        import_package(text.encode(), parent=other_assets, user=admin_user)


def _rewrite(data: bytes, change, extra=()) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        manifest = json.loads(source.read("manifest.json"))
        members = {name: source.read(name) for name in source.namelist() if name != "manifest.json"}
    change(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("manifest.json", json.dumps(manifest))
        for name, content in members.items():
            target.writestr(name, content)
        for info, content in extra:
            target.writestr(info, content)
    return out.getvalue()


def _zip(entries) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries:
            target.writestr(info, content)
    return out.getvalue()


def _symlink(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


def _hostile_cases(good: bytes):
    def bad_path(path):
        return _rewrite(good, lambda m: m["metadata"]["dcat:distribution"][0].update(
            {"dcat:downloadURL": path}), extra=[(path, b"x")] if not path.startswith("http") else [])  # fmt: skip

    bomb = zipfile.ZipInfo("files/bomb.txt")
    return {
        "traversal": (_zip([("manifest.json", "{}"), ("../evil.txt", b"x")]), "unsafe path"),
        "absolute": (_zip([("manifest.json", "{}"), ("/etc/evil", b"x")]), "unsafe path"),
        "backslash": (_zip([("manifest.json", "{}"), ("files\\..\\evil", b"x")]), "unsafe path"),
        "symlink": (_zip([("manifest.json", "{}"), (_symlink("files/link"), "/etc/passwd")]), "symbolic link"),
        "many members": (_zip([(f"files/{n}.txt", b"x") for n in range(250)]), "too many files"),
        "zip bomb": (_zip([("manifest.json", "{}"), (bomb, b"\0" * (30 * 1024 * 1024))]), "larger than allowed|compressed suspiciously"),
        "not a zip": (b"PK\x03\x04 garbage", "not a valid zip"),
        "bad json": (_zip([("manifest.json", "{not json")]), "not valid JSON"),
        "wrong types": (_rewrite(good, lambda m: m["metadata"].update({"dct:title": ["a", "list"]})), "must be text"),
        "unknown licence": (_rewrite(good, lambda m: m["metadata"].update({"dct:license": "Beerware"})), "unknown licence"),
        "remote file url": (bad_path("http://127.0.0.1:1/x.pdf"), "outside itself"),
        "missing member": (bad_path("files/nope.txt") if False else _rewrite(good, lambda m: m["metadata"]["dcat:distribution"][0].update({"dcat:downloadURL": "files/nope.txt"})), "does not contain"),
        "no manifest": (_zip([("files/a.txt", b"x")]), "no manifest"),
    }  # fmt: skip


CASES = ["traversal", "absolute", "backslash", "symlink", "many members", "zip bomb", "not a zip",
         "bad json", "wrong types", "unknown licence", "remote file url", "missing member", "no manifest"]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_hostile_packages_leave_nothing(
    asset_with_document, other_assets, admin_user, media_root, case
):
    """Ensures that each hostile package is refused with a clear error and nothing is created."""
    data, message = _hostile_cases(export_package(asset_with_document))[case]
    pages, counts, files = Page.objects.count(), object_counts(), stored_file_count(media_root)
    with pytest.raises(ReuseError, match=message):
        import_package(data, parent=other_assets, user=admin_user)
    assert Page.objects.count() == pages
    assert object_counts() == counts
    assert stored_file_count(media_root) == files
    assert not Provenance.objects.exists()


def test_member_larger_than_declared_is_refused(
    asset_with_document, other_assets, admin_user, media_root
):
    """Ensures that a member whose header under-declares its size (a lying zip bomb) is refused."""
    good = export_package(asset_with_document)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        path = json.loads(archive.read("manifest.json"))["metadata"]["dcat:distribution"][0][
            "dcat:downloadURL"
        ]
    raw = bytearray(good)
    # Patch the central directory's uncompressed size of the file member down to 3 bytes.
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo(path)
    marker = b"PK\x01\x02"
    start = 0
    while True:
        start = raw.index(marker, start)
        name_length = int.from_bytes(raw[start + 28 : start + 30], "little")
        if raw[start + 46 : start + 46 + name_length].decode() == path:
            break
        start += 4
    assert int.from_bytes(raw[start + 24 : start + 28], "little") == info.file_size
    raw[start + 24 : start + 28] = (3).to_bytes(4, "little")
    pages = Page.objects.count()
    with pytest.raises(ReuseError, match="larger than it declares|damaged"):
        import_package(bytes(raw), parent=other_assets, user=admin_user)
    assert Page.objects.count() == pages
    assert stored_file_count(media_root) == 0 or not Provenance.objects.exists()


def test_publiccode_download_for_software(asset_with_document, admin_client, make_call):
    """Ensures that a software asset's editor can download its publiccode.yml, and other pages have none."""
    from django.urls import reverse

    response = admin_client.get(
        reverse("interlink_reuse:publiccode", args=[asset_with_document.pk])
    )
    document = yaml.safe_load(response.content)
    assert document["publiccodeYmlVersion"] == "0.4"
    assert document["url"] == "https://code.example.org/tool"
    assert document["softwareVersion"] == "1.2"
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[asset_with_document.pk]))
    assert (
        reverse("interlink_reuse:publiccode", args=[asset_with_document.pk])
        in edit.content.decode()
    )
    call = make_call()
    assert (
        admin_client.get(reverse("interlink_reuse:publiccode", args=[call.pk])).status_code == 404
    )
    assert admin_client.get(reverse("interlink_reuse:export", args=[call.pk])).status_code == 200


def _tamper(data: bytes, change_member=None, change_manifest=None) -> bytes:
    """The package with its file member's content and/or its manifest changed."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    if change_member:
        path = manifest["files"][0]["path"]
        members[path] = change_member(members[path])
    if change_manifest:
        change_manifest(manifest)
    return _zip([("manifest.json", json.dumps(manifest)), *members.items()])


@pytest.mark.parametrize(
    ("change_member", "change_manifest", "message"),
    [
        (lambda content: b"MANUAL TEXT", None, "does not match its checksum"),
        (lambda content: content + b" and more", None, "does not match its checksum"),
        (None, lambda m: m.update(files=[]), "does not list"),
        (None, lambda m: m.update(files=[{"path": "files/001-manual.txt", "sha256": "x"}]),
         "files must be a list"),
    ],
)  # fmt: skip
def test_checksums_are_verified(
    asset_with_document,
    other_assets,
    admin_user,
    media_root,
    change_member,
    change_manifest,
    message,
):
    """Ensures that a file that does not match the SHA-256 (or size) in manifest.json, or that
    the manifest does not list, is refused and nothing is created."""
    data = _tamper(export_package(asset_with_document), change_member, change_manifest)
    pages, files = Page.objects.count(), stored_file_count(media_root)
    with pytest.raises(ReuseError, match=message):
        import_package(data, parent=other_assets, user=admin_user)
    assert Page.objects.count() == pages and stored_file_count(media_root) == files
    assert not Provenance.objects.exists()


def test_oversized_publiccode_is_refused_not_cut(other_assets, admin_user, settings):
    """Ensures that a bare publiccode.yml over the manifest limit is refused with a reason,
    not silently cut short and imported."""
    settings.INTERLINK_PACKAGE_MAX_MANIFEST_BYTES = 300
    text = yaml.safe_dump({
        "publiccodeYmlVersion": "0.4", "name": "Appointment booking", "url": "https://code.example.org/book",
        "legal": {"license": "EUPL-1.2"}, "description": {"en": {"shortDescription": "Book it."}},
    })  # fmt: skip
    padded = text.encode() + b"#" + b"x" * 400 + b"\n"
    with pytest.raises(ReuseError, match="larger than allowed"):
        import_package(padded, parent=other_assets, user=admin_user)
    assert not Provenance.objects.exists()


def test_documents_linked_in_rich_text_travel_in_packages(make_asset, other_assets, admin_user):
    """Ensures that a document linked from a paragraph goes into the package and comes back
    as a link to the imported copy."""
    asset = make_asset()
    document = get_document_model().objects.create(
        title="Budget annex", file=ContentFile(b"annex,1,2\n", name="annex.csv")
    )
    asset.body = [{"type": "paragraph",
                   "value": f'<p>See <a linktype="document" id="{document.pk}">the annex</a>.</p>'}]  # fmt: skip
    asset.save_revision().publish()
    data = export_package(asset)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    [item] = manifest["files"]
    paragraph = manifest["metadata"]["interlink:body"][0]["value"]
    assert f'href="{item["path"]}"' in paragraph and "/documents/" not in paragraph

    result = import_package(data, parent=other_assets, user=admin_user)
    copy = AssetPage.objects.get(pk=result.page.pk)
    [local] = get_document_model().objects.exclude(pk=document.pk)
    assert local.file.read() == b"annex,1,2\n"
    assert f'<a linktype="document" id="{local.pk}">the annex</a>' in copy.body[0].value.source
