"""The reuse service: licence first, no duplicates, a draft with files and provenance."""

import pytest
from wagtail.models import Page

from interlink_blocks.models import AssetPage, CallPage
from interlink_blocks.reuse.errors import DuplicateReuse, ReuseError, ReuseRefused
from interlink_blocks.reuse.models import Provenance
from interlink_blocks.reuse.services import Origin, reuse_origin

from .conftest import object_counts, stored_file_count


def origin(metadata, **kw):
    values = {
        "object_id": "http://127.0.0.1:9/objects/pb-toolkit",
        "url": "http://127.0.0.1:9/assets/pb-toolkit/",
        "actor_url": "http://127.0.0.1:9/actor",
        "actor_name": "City of Origin",
    }
    values.update(kw)
    return Origin(metadata=metadata, **values)


def test_reuse_creates_draft_with_files_and_provenance(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user
):
    """Ensures that a reuse makes a draft asset with downloaded files, sanitised body and provenance."""
    result = reuse_origin(
        origin(remote_asset()), parent=other_assets, user=admin_user, fetch=guarded_fetch
    )
    page = AssetPage.objects.get(pk=result.page.pk)
    assert not page.live and page.get_parent().pk == other_assets.pk
    assert page.title == "Participatory budgeting toolkit"
    assert page.licence == "CC-BY-4.0" and page.form == "guide" and page.version == "3.0"
    assert page.publisher == "City of Origin"
    assert [s.slug for s in page.sectors.all()] == ["democracy-participation"]
    [document] = page.attachments
    assert document.title == "Toolkit (PDF)"
    assert document.file.read() == b"%PDF-1.4 origin blueprint"
    [image] = page.images.all()
    assert image.alt_text == "The five steps of the process"
    # The body keeps heading, paragraph (sanitised) and image; the origin's page card is dropped.
    assert [block.block_type for block in page.body] == ["heading", "paragraph", "image"]
    paragraph = page.body[1].value.source
    assert "<script" not in paragraph and "javascript:" not in paragraph
    assert "<b>early</b>" in paragraph
    assert page.body[2].value["image"].title == "Workshop"
    assert result.dropped_blocks == ["Asset card"] or len(result.dropped_blocks) == 1
    provenance = Provenance.objects.get(page=page)
    assert provenance.origin_identifier == remote_asset()["dct:identifier"]
    assert provenance.origin_object_id == "http://127.0.0.1:9/objects/pb-toolkit"
    assert provenance.origin_name == "City of Origin"
    assert provenance.licence == "CC-BY-4.0" and provenance.state == "in_sync"
    assert provenance.origin_version == "3.0"
    assert provenance.origin_updated_at.year == 2026
    assert sorted(file_server.requests) == [
        "/files/blueprint.pdf",
        "/files/map.png",
        "/files/photo.png",
    ]
    assert page.get_latest_revision() is not None


@pytest.mark.parametrize(
    ("licence", "reason"),
    [
        ("http://spdx.org/licenses/LicenseRef-All-rights-reserved", "All rights reserved"),
        ("http://spdx.org/licenses/CC-BY-ND-4.0", "NoDerivatives"),
        ("http://spdx.org/licenses/Proprietary-Whatever", "unknown licence"),
    ],
)
def test_licence_refused_before_anything(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, media_root, licence, reason
):
    """Ensures that a licence that forbids reuse is refused with its reason, before any download."""
    pages = Page.objects.count()
    with pytest.raises(ReuseRefused, match=reason):
        reuse_origin(
            origin(remote_asset(**{"dct:license": licence})),
            parent=other_assets,
            user=admin_user,
            fetch=guarded_fetch,
        )
    assert Page.objects.count() == pages
    assert file_server.requests == []
    assert not Provenance.objects.exists()


def test_duplicate_reuse_points_at_existing_draft(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user
):
    """Ensures that reusing the same origin twice offers the existing draft instead of a copy."""
    first = reuse_origin(
        origin(remote_asset()), parent=other_assets, user=admin_user, fetch=guarded_fetch
    )
    pages = Page.objects.count()
    with pytest.raises(DuplicateReuse) as caught:
        reuse_origin(
            origin(remote_asset(), object_id=""),
            parent=other_assets,
            user=admin_user,
            fetch=guarded_fetch,
        )
    assert caught.value.page.pk == first.page.pk
    assert Page.objects.count() == pages


def test_failed_download_leaves_nothing(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, media_root
):
    """Ensures that a failure midway (a missing file) rolls back page, documents and stored files."""
    data = remote_asset()
    data["foaf:depiction"][0]["dcat:downloadURL"] = file_server.url("/files/gone.png")
    pages, counts, files = Page.objects.count(), object_counts(), stored_file_count(media_root)
    with pytest.raises(ReuseError, match="Process map"):
        reuse_origin(origin(data), parent=other_assets, user=admin_user, fetch=guarded_fetch)
    assert Page.objects.count() == pages
    assert object_counts() == counts
    assert stored_file_count(media_root) == files
    assert not Provenance.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "content_type", "message"),
    [
        ("/files/page.html", b"<html><script>x</script></html>", "text/html", "not accepted"),
        ("/files/fake.png", b"MZ\x90\x00 not an image", "image/png", "cannot be used as an image"),
        ("/files/tool.exe", b"MZ\x90\x00", "application/octet-stream", "not accepted"),
    ],
)
def test_file_types_are_limited(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, media_root,
    path, body, content_type, message,
):  # fmt: skip
    """Ensures that only known document and image types are brought in, images verified."""
    file_server.files[path] = (body, content_type)
    data = remote_asset()
    key = "foaf:depiction" if path.endswith(".png") else "dcat:distribution"
    data[key][0]["dcat:downloadURL"] = file_server.url(path)
    with pytest.raises(ReuseError, match=message):
        reuse_origin(origin(data), parent=other_assets, user=admin_user, fetch=guarded_fetch)
    assert not AssetPage.objects.filter(title="Participatory budgeting toolkit").exists()
    assert stored_file_count(media_root) == 0


def test_file_size_is_limited(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, settings
):
    """Ensures that a file over the size limit refuses the reuse."""
    settings.INTERLINK_REUSE_MAX_FILE_BYTES = 10
    with pytest.raises(ReuseError, match="10 bytes|larger"):
        reuse_origin(
            origin(remote_asset()), parent=other_assets, user=admin_user, fetch=guarded_fetch
        )
    assert not Provenance.objects.exists()


def test_private_addresses_are_never_fetched(remote_asset, other_assets, admin_user, settings):
    """Ensures that file URLs on private addresses are refused by the guarded client."""
    from interlink_blocks.reuse.files import http_fetch
    from interlink_federation import client

    settings.FEDERATION_ALLOW_LOOPBACK = False
    data = remote_asset()
    data["dcat:distribution"][0]["dcat:downloadURL"] = "http://127.0.0.1:1/secret.pdf"
    with pytest.raises(ReuseError, match="forbidden address"):
        reuse_origin(
            origin(data),
            parent=other_assets,
            user=admin_user,
            fetch=http_fetch(client.guarded_request),
        )


def test_wrong_parent_and_permissions(
    remote_asset, call_index, other_assets, guarded_fetch, django_user_model
):
    """Ensures that an asset cannot go under a call index, nor under a parent the user may not edit."""
    with pytest.raises(ReuseRefused, match="cannot be created under"):
        reuse_origin(origin(remote_asset()), parent=call_index, user=None, fetch=guarded_fetch)
    nobody = django_user_model.objects.create_user("nobody", password="x")
    with pytest.raises(ReuseRefused, match="may not add pages"):
        reuse_origin(origin(remote_asset()), parent=other_assets, user=nobody, fetch=guarded_fetch)


def test_call_reused_as_template(make_call, other_calls, admin_user, client):
    """Ensures that a call becomes a draft idea without the origin's dates and contact."""
    from interlink_blocks.metadata import page_metadata

    call = make_call(contact_name="Ana", contact_email="ana@example.org", place="North")
    data = page_metadata(call)
    data["dct:identifier"] = "urn:uuid:00000000-0000-0000-0000-000000000042"
    result = reuse_origin(origin(data), parent=other_calls, user=admin_user, fetch=None)
    copy = CallPage.objects.get(pk=result.page.pk)
    assert copy.title == call.title and not copy.live
    assert copy.status == "draft_idea" and copy.deadline is None and copy.contact_email == ""
    assert copy.participant_types == call.participant_types
    assert (
        copy.coproduction_schema.get_prep_value()[0]["value"]["phase"]
        == (call.coproduction_schema.get_prep_value()[0]["value"]["phase"])
    )
    copy.save_revision(user=admin_user).publish()
    html = client.get(copy.url).content.decode()
    assert "Adapted from" in html and "City of Origin" in html
    assert 'rel="license"' in html


def big_pdf(size: int) -> bytes:
    return b"%PDF-1.4 " + bytes(range(256)) * (size // 256 - 1) + b"%%EOF"


def test_files_over_a_mebibyte_are_reused(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, settings
):
    """Ensures that a 2 MiB file comes in over the guarded client: the reuse limit
    (INTERLINK_REUSE_MAX_FILE_BYTES), not federation's 1 MiB cap for AS documents, applies."""
    from interlink_federation.conf import setting

    assert setting("FEDERATION_HTTP_MAX_BYTES") == 1024 * 1024
    content = big_pdf(2 * 1024 * 1024)
    file_server.files["/files/big.pdf"] = (content, "application/pdf")
    data = remote_asset()
    data["dcat:distribution"][0]["dcat:downloadURL"] = file_server.url("/files/big.pdf")
    del data["dcat:distribution"][0]["dcat:byteSize"]
    result = reuse_origin(origin(data), parent=other_assets, user=admin_user, fetch=guarded_fetch)
    [document] = AssetPage.objects.get(pk=result.page.pk).attachments
    assert document.file.read() == content


def test_file_over_the_reuse_limit_is_refused(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, settings, media_root
):
    """Ensures that a file over INTERLINK_REUSE_MAX_FILE_BYTES is refused with a reason that
    names it and the limit, whether its size was declared (then nothing is downloaded) or not."""
    settings.INTERLINK_REUSE_MAX_FILE_BYTES = 1024 * 1024
    file_server.files["/files/big.pdf"] = (big_pdf(2 * 1024 * 1024), "application/pdf")
    data = remote_asset()
    data["dcat:distribution"][0].update(
        {"dcat:downloadURL": file_server.url("/files/big.pdf"), "dcat:byteSize": 2 * 1024 * 1024}
    )
    with pytest.raises(ReuseError, match="Toolkit \\(PDF\\).*larger than the limit.*1.0"):
        reuse_origin(origin(data), parent=other_assets, user=admin_user, fetch=guarded_fetch)
    assert file_server.requests == []  # refused before any download
    del data["dcat:distribution"][0]["dcat:byteSize"]
    with pytest.raises(ReuseError, match="Toolkit \\(PDF\\).*1048576"):
        reuse_origin(origin(data), parent=other_assets, user=admin_user, fetch=guarded_fetch)
    assert not Provenance.objects.exists() and stored_file_count(media_root) == 0


def test_downloads_happen_outside_the_transaction(
    remote_asset, other_assets, guarded_fetch, admin_user, media_root
):
    """Ensures that no file is fetched while the reuse's transaction is open (it would hold
    the database, SQLite's single write lock, for as long as the downloads take)."""
    from django.db import connection

    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen = []

    def fetch(url, max_bytes):
        seen.append(len(connection.atomic_blocks))
        return guarded_fetch(url, max_bytes)

    reuse_origin(origin(remote_asset()), parent=other_assets, user=admin_user, fetch=fetch)
    assert seen == [depth] * 3


def test_failure_after_downloads_removes_the_files(
    remote_asset, other_assets, guarded_fetch, admin_user, media_root, monkeypatch
):
    """Ensures that when the database writes fail after the files were stored, the stored
    files are deleted and no row is left."""
    from wagtail.models import Page as WagtailPage

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(WagtailPage, "save_revision", broken)
    counts = object_counts()
    with pytest.raises(RuntimeError):
        reuse_origin(origin(remote_asset()), parent=other_assets, user=admin_user,
                     fetch=guarded_fetch)  # fmt: skip
    assert stored_file_count(media_root) == 0 and object_counts() == counts
    assert not AssetPage.objects.filter(title="Participatory budgeting toolkit").exists()


def png_bomb(width: int, height: int) -> bytes:
    """A valid PNG whose header claims width × height pixels (1 bit each), a few KB in size."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * ((width + 7) // 8 + 1) * height, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_image_limits_of_wagtail_apply(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, settings, media_root
):
    """Ensures that a small image claiming a huge canvas (a decompression bomb) is refused by
    Wagtail's WAGTAILIMAGES_MAX_IMAGE_PIXELS, and an image over WAGTAILIMAGES_MAX_UPLOAD_SIZE too."""
    bomb = png_bomb(12000, 12000)
    assert len(bomb) < 100_000
    file_server.files["/files/bomb.png"] = (bomb, "image/png")
    data = remote_asset()
    data["foaf:depiction"][0]["dcat:downloadURL"] = file_server.url("/files/bomb.png")
    with pytest.raises(ReuseError, match="Process map.*too many pixels"):
        reuse_origin(origin(data), parent=other_assets, user=admin_user, fetch=guarded_fetch)
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20
    with pytest.raises(ReuseError, match="cannot be used as an image: This file is too big"):
        reuse_origin(origin(remote_asset()), parent=other_assets, user=admin_user,
                     fetch=guarded_fetch)  # fmt: skip
    assert not Provenance.objects.exists() and stored_file_count(media_root) == 0


def test_documents_linked_in_rich_text_are_brought_in(
    remote_asset, other_assets, guarded_fetch, file_server, admin_user, client
):
    """Ensures that a paragraph's links to the origin's documents become links to local copies;
    links to other sites' documents and to ordinary pages stay as they are."""
    file_server.files["/documents/12/annex.pdf"] = (b"%PDF-1.4 annex", "application/pdf")
    annex = file_server.url("/documents/12/annex.pdf")
    foreign = "https://elsewhere.example/documents/3/other.pdf"
    data = remote_asset()
    data["interlink:body"][1]["value"] = (
        f'<p>See <a href="{annex}">the annex</a>, <a href="{foreign}">theirs</a> and '
        f'<a href="{file_server.url("/about/")}">about</a>.</p>'
    )
    result = reuse_origin(
        origin(data, object_id=file_server.url("/ap/objects/pb-toolkit")),
        parent=other_assets, user=admin_user, fetch=guarded_fetch,
    )  # fmt: skip
    from wagtail.documents import get_document_model

    document = get_document_model().objects.get(title="the annex")
    assert document.file.read() == b"%PDF-1.4 annex"
    page = AssetPage.objects.get(pk=result.page.pk)
    source = page.body[1].value.source
    assert f'<a linktype="document" id="{document.pk}">the annex</a>' in source
    assert foreign in source and file_server.url("/about/") in source
    assert result.provenance.file_map[annex] == {"kind": "document", "id": document.pk}
    assert "/documents/12/" not in str(page.body[1].value)  # rendered as the local copy
