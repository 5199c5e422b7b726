"""Resources on tasks: uploads with versions (limited, private, served as downloads), links,
working copies of assets, recommendations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interlink_blocks.workspace.models import Resource, ResourceVersion, Task


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.WORKSPACE_PRIVATE_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def upload(name="plan.pdf", content=b"%PDF-1.4 plan", **extra):
    return {
        "action": "upload",
        "name": "Service blueprint",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }


def add_url(process, task):
    return reverse("interlink_workspace:add_resource", args=[process.pk, task.pk])


def test_member_uploads_a_document_and_a_new_version(client, process, member, private_root):
    """Ensures that a member attaches a document to a task and uploads a second version;
    both versions are kept, stored outside MEDIA_ROOT, and logged."""
    client.force_login(member(process, "ana@example.org"))
    task = Task.objects.filter(process=process).first()
    response = client.post(add_url(process, task), upload())
    resource = Resource.objects.get()
    assert response["Location"] == reverse(
        "interlink_workspace:resource", args=[process.pk, resource.pk]
    )
    response = client.post(
        reverse("interlink_workspace:resource", args=[process.pk, resource.pk]),
        {
            "file": SimpleUploadedFile("plan-v2.pdf", b"%PDF-1.4 v2"),
            "note": "Added the phone channel",
        },
    )
    assert response.status_code == 302
    versions = list(resource.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].note == "Added the phone channel"
    for version in versions:
        assert str(private_root / "private") in version.file.path
        assert str(private_root / "media") not in version.file.path
    assert {"resource_added", "version_added"} <= set(
        process.activities.values_list("verb", flat=True)
    )
    html = client.get(
        reverse("interlink_workspace:task", args=[process.pk, task.pk])
    ).content.decode()
    assert "Service blueprint" in html


def test_downloads_are_attachments_for_the_team_only(client, process, member, make_call):
    """Ensures that a version is sent as an attachment (octet-stream, nosniff, sandbox CSP)
    to the team only; others get 403, anonymous visitors the sign-in."""
    from interlink_blocks.workspace.services import tree

    ana = member(process, "ana@example.org")
    client.force_login(ana)
    task = Task.objects.filter(process=process).first()
    client.post(
        add_url(process, task), upload(name="notes.txt", content=b"<script>alert(1)</script>")
    )
    resource = Resource.objects.get()
    url = reverse("interlink_workspace:download", args=[process.pk, resource.pk, 1])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    other = tree.open_process(make_call(title="Another", slug="another"))
    client.force_login(member(other, "x@example.org"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("page.html", 10, "Web pages and SVG images cannot be uploaded here."),
        ("logo.svg", 10, "Web pages and SVG images cannot be uploaded here."),
        ("tool.exe", 10, "Files of this type cannot be uploaded."),
        ("huge.pdf", 2048, "The file is larger than"),
    ],
)
def test_uploads_from_non_staff_are_limited(client, process, member, settings, name, size, message):
    """Ensures that people who are not staff may upload only bounded files of safe types
    (HTML and SVG never); a refused upload answers 400 and stores nothing."""
    settings.WORKSPACE_UPLOAD_MAX_BYTES = 1024
    client.force_login(member(process, "ana@example.org"))
    task = Task.objects.filter(process=process).first()
    response = client.post(add_url(process, task), upload(name=name, content=b"x" * size))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()


def test_staff_may_upload_larger_files(client, process, staff, settings):
    settings.WORKSPACE_UPLOAD_MAX_BYTES = 1024
    client.force_login(staff)
    task = Task.objects.filter(process=process).first()
    response = client.post(add_url(process, task), upload(name="data.ods", content=b"x" * 4096))
    assert response.status_code == 302
    assert ResourceVersion.objects.get().size == 4096


def test_observers_cannot_add_resources(client, process, member):
    client.force_login(member(process, "olga@example.org", role="observer"))
    task = Task.objects.filter(process=process).first()
    assert client.post(add_url(process, task), upload()).status_code == 403
    assert not Resource.objects.exists()


def test_links_and_working_copies_of_assets(client, process, member, make_asset):
    """Ensures that a member adds a link, and a working copy of a recommended asset whose
    lineage (the asset's UUID) is kept."""
    asset = make_asset(title="Home-care request form template", sectors=[])
    client.force_login(member(process, "ana@example.org"))
    task = Task.objects.filter(process=process).first()
    client.post(
        add_url(process, task),
        {"action": "link", "name": "Survey results", "url": "https://example.org/survey"},
    )
    page = client.get(add_url(process, task) + "?q=request form").content.decode()
    assert asset.title in page
    client.post(add_url(process, task), {"action": "asset", "asset": asset.pk})
    copy = Resource.objects.get(kind="asset")
    assert copy.asset_uuid == asset.uuid and copy.name == asset.title
    assert Resource.objects.get(kind="link").url == "https://example.org/survey"
    assert (
        client.post(add_url(process, task), {"action": "asset", "asset": 999999}).status_code == 404
    )
