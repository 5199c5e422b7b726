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
        ("/files/fake.png", b"MZ\x90\x00 not an image", "image/png", "not a readable image"),
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
    from federation import client
    from interlink_blocks.reuse.files import http_fetch

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
