"""The reuse workflow where editors meet it: Wagtail admin views, with permissions."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from interlink_blocks.models import AssetPage
from interlink_blocks.reuse.models import Provenance
from interlink_blocks.reuse.services import Origin
from interlink_blocks.reuse.views.reusing import reuse_url

from .conftest import object_counts, stored_file_count

ORIGINS: dict[str, Origin] = {}


def load_test_origin(object_id):
    """Stands in for federation's catalogue lookup (INTERLINK_REUSE_ORIGIN_LOADER)."""
    return ORIGINS.get(object_id)


@pytest.fixture
def catalogue(settings, remote_asset):
    settings.INTERLINK_REUSE_ORIGIN_LOADER = (
        "tests.interlink_blocks.reuse.test_admin.load_test_origin"
    )
    settings.FEDERATION_ALLOW_LOOPBACK = True
    ORIGINS.clear()

    def add(object_id, **overrides):
        ORIGINS[object_id] = Origin(metadata=remote_asset(**overrides), object_id=object_id,
                                    actor_name="City of Origin", actor_url="http://127.0.0.1:9/actor")  # fmt: skip
        return reuse_url(object_id)

    yield add
    ORIGINS.clear()


def test_reuse_in_my_site_creates_draft(catalogue, admin_client, other_assets, file_server):
    """Ensures that "Reuse in my site" shows the licence and creates a draft under the chosen parent."""
    url = catalogue("http://127.0.0.1:9/objects/1")
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Participatory budgeting toolkit" in html and "Creative Commons Attribution 4.0" in html
    assert "Create a draft" in html
    response = admin_client.post(
        url, {"parent": other_assets.pk, "object": "http://127.0.0.1:9/objects/1"}
    )
    page = AssetPage.objects.child_of(other_assets).get(title="Participatory budgeting toolkit")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.get_parent().pk == other_assets.pk
    assert Provenance.objects.get(page=page).origin_object_id == "http://127.0.0.1:9/objects/1"
    # A second visit offers the existing draft instead of another copy.
    html = admin_client.get(url).content.decode()
    assert "Open the existing draft" in html and "Create a draft" not in html
    response = admin_client.post(
        url, {"parent": other_assets.pk, "object": "http://127.0.0.1:9/objects/1"}
    )
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert AssetPage.objects.filter(title="Participatory budgeting toolkit").count() == 1


def test_reuse_in_my_site_refuses_licence(catalogue, admin_client, other_assets, file_server):
    """Ensures that an all-rights-reserved object shows the reason and cannot be reused, even by POST."""
    url = catalogue("http://127.0.0.1:9/objects/2",
                    **{"dct:license": "http://spdx.org/licenses/LicenseRef-All-rights-reserved"})  # fmt: skip
    html = admin_client.get(url).content.decode()
    assert "does not allow adaptations" in html and "Create a draft" not in html
    pages = Page.objects.count()
    response = admin_client.post(
        url, {"parent": other_assets.pk, "object": "http://127.0.0.1:9/objects/2"}
    )
    assert response.status_code == 200 and "does not allow adaptations" in response.content.decode()
    assert Page.objects.count() == pages and file_server.requests == []


@pytest.fixture
def editor(django_user_model, other_assets):
    """An editor who may add pages under "Our assets" only."""
    user = django_user_model.objects.create_user("editor", password="pw")
    group = Group.objects.create(name="Asset editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=other_assets, permission=Permission.objects.get(codename=permission)
        )
    user.groups.add(group)
    return user


def test_import_package_through_admin(
    make_asset, admin_client, client, editor, other_assets, asset_index
):
    """Ensures that an editor exports a package, imports it under a parent they may edit, and hostile ones fail."""
    origin = make_asset(title="Neighbourhood survey template", form="survey_template")
    data = admin_client.get(reverse("interlink_reuse:export", args=[origin.pk]))
    assert data["Content-Type"] == "application/zip"
    package = b"".join(data.streaming_content) if data.streaming else data.content
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(package)).namelist()

    client.force_login(editor)
    form = client.get(reverse("interlink_reuse:import")).content.decode()
    assert f'value="{other_assets.pk}"' in form
    assert f'value="{asset_index.pk}"' not in form  # no permission there
    response = client.post(reverse("interlink_reuse:import"), {
        "parent": asset_index.pk, "package": SimpleUploadedFile("p.zip", package)})  # fmt: skip
    assert response.status_code == 200 and not Provenance.objects.exists()
    response = client.post(reverse("interlink_reuse:import"), {
        "parent": other_assets.pk, "package": SimpleUploadedFile("p.zip", package)})  # fmt: skip
    copy = AssetPage.objects.child_of(other_assets).get(title="Neighbourhood survey template")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert copy.owner == editor and not copy.live

    pages = Page.objects.count()
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", "x")
    response = client.post(reverse("interlink_reuse:import"), {
        "parent": other_assets.pk, "package": SimpleUploadedFile("h.zip", hostile.getvalue())})  # fmt: skip
    assert response.status_code == 200
    assert "unsafe path" in response.content.decode()
    assert Page.objects.count() == pages


def test_export_respects_permissions(make_asset, client, editor):
    """Ensures that only users who may edit a page can export it."""
    origin = make_asset()
    client.force_login(editor)
    response = client.get(reverse("interlink_reuse:export", args=[origin.pk]))
    # Wagtail's admin turns PermissionDenied into a redirect with an error message.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert response.get("Content-Type") != "application/zip"


def test_export_button_on_page_header(make_asset, admin_client):
    """Ensures that the page editor offers "Export reuse package"."""
    page = make_asset()
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("interlink_reuse:export", args=[page.pk]) in html


def test_reuse_from_federated_catalogue(admin_client, other_assets, file_server, settings):
    """Ensures that an item of federation's catalogue, in federation's own AS shape, can be reused."""
    from interlink_federation.models import RemoteActor, RemoteObject

    settings.FEDERATION_ALLOW_LOOPBACK = True
    actor = RemoteActor.objects.create(
        uri="http://127.0.0.1:9/ap/actor", domain="127.0.0.1:9", name="City of Origin",
        inbox="http://127.0.0.1:9/ap/inbox")  # fmt: skip
    uri = "http://127.0.0.1:9/ap/objects/5b0e6f5c-7d0e-4a57-9d3e-3f1f8b7b2a10"
    document = {
        "id": uri, "type": "Article", "name": "Open data checklist", "summary": "What to check.",
        "content": "<p>Check <em>licences</em>.</p><script>x()</script>",
        "url": "http://127.0.0.1:9/assets/open-data/", "updated": "2026-11-02T08:00:00Z",
        "interlink:kind": "asset", "dct:identifier": "5b0e6f5c-7d0e-4a57-9d3e-3f1f8b7b2a10",
        "dct:license": {"id": "https://creativecommons.org/licenses/by/4.0/", "dct:identifier": "CC-BY-4.0"},
        "dct:type": "checklist", "dct:language": ["en"], "adms:status": "tested", "owl:versionInfo": "1.1",
        "dcat:keyword": ["Environment and climate"],
        "dcat:distribution": [{"type": "dcat:Distribution", "dcat:accessURL": file_server.url("/files/blueprint.pdf"),
                               "dct:title": "Checklist", "dcat:mediaType": "application/pdf"}],
    }  # fmt: skip
    RemoteObject.objects.create(uri=uri, actor=actor, kind="asset", ap_type="Article",
                                name="Open data checklist", url=document["url"], document=document)  # fmt: skip
    url = reuse_url(uri)
    assert "Creative Commons Attribution 4.0" in admin_client.get(url).content.decode()
    admin_client.post(url, {"parent": other_assets.pk, "object": uri})
    page = AssetPage.objects.child_of(other_assets).get()
    assert (page.title, page.form, page.licence, page.version) == (
        "Open data checklist",
        "checklist",
        "CC-BY-4.0",
        "1.1",
    )
    assert [s.slug for s in page.sectors.all()] == ["environment"]
    assert page.attachments[0].title == "Checklist"
    assert (
        "<em>licences</em>" in page.body[0].value.source
        and "script" not in page.body[0].value.source
    )
    provenance = Provenance.objects.get(page=page)
    assert provenance.origin_actor_url == actor.uri and provenance.origin_name == "City of Origin"
    assert provenance.origin_identifier == "urn:uuid:5b0e6f5c-7d0e-4a57-9d3e-3f1f8b7b2a10"


def test_unknown_catalogue_item_is_not_found(catalogue, admin_client):
    """Ensures that "Reuse in my site" for an object not in the catalogue answers 404."""
    assert admin_client.get(reuse_url("http://127.0.0.1:9/objects/none")).status_code == 404


# Bad input: a clear message in the admin, nothing left behind ----------------------------


def _post_reuse(admin_client, url, object_id, parent):
    return admin_client.post(url, {"parent": parent.pk, "object": object_id})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # A paragraph that is not text: the body walker's MetadataError.
        ({"interlink:body": [{"type": "paragraph", "value": {"html": "<p>x</p>"}}]},
         "body is malformed"),
        # No description: the page's required summary would be blank (a ValidationError).
        ({"dct:description": None}, "Summary: This field cannot be blank"),
        # Not a list where a list belongs (a TypeError in the normal form).
        ({"dcat:distribution": 5}, "malformed"),
    ],
)  # fmt: skip
def test_bad_origin_gives_a_form_error(
    catalogue, admin_client, other_assets, file_server, media_root, overrides, message
):
    """Ensures that metadata that cannot make a page is refused with a message in the form,
    before any download, with no page, file or provenance left."""
    object_id = "http://127.0.0.1:9/objects/bad"
    url = catalogue(object_id, **overrides)
    pages, counts = Page.objects.count(), object_counts()
    response = _post_reuse(admin_client, url, object_id, other_assets)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Page.objects.count() == pages and object_counts() == counts
    assert stored_file_count(media_root) == 0 and not Provenance.objects.exists()
    assert file_server.requests == []


def _import(client, parent, name, data):
    return client.post(reverse("interlink_reuse:import"),
                       {"parent": parent.pk, "package": SimpleUploadedFile(name, data)})  # fmt: skip


def _manifest_zip(manifest_text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_text)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("deep.zip", _manifest_zip("[" * 20_000 + "]" * 20_000), "not valid JSON"),
        ("deep2.zip", _manifest_zip('{"a":' * 200 + "1" + "}" * 200), "nested too deeply"),
        ("publiccode.yml", b"publiccodeYmlVersion: '0.4'\nname: Tool\nurl: https://code.example.org/t\n"
                           b"legal: {license: EUPL-1.2}\n", "needs a description"),
        ("deep.yml", b"publiccodeYmlVersion: '0.4'\nname: " + b"[" * 50_000, "not valid YAML"),
        ("big.yml", b"publiccodeYmlVersion: '0.4'\n#" + b"x" * (1024 * 1024), "larger than allowed"),
    ],
    # Named by file: a zip's bytes carry the time it was built, and pytest-xdist refuses
    # test ids that differ between its processes.
    ids=["deep.zip", "deep2.zip", "publiccode.yml", "deep.yml", "big.yml"],
)  # fmt: skip
def test_bad_packages_give_a_form_error(
    admin_client, other_assets, media_root, name, data, message
):
    """Ensures that deeply nested manifests, publiccode.yml files without a description,
    deeply nested or oversized YAML give a message in the import form, not a server error."""
    pages = Page.objects.count()
    response = _import(admin_client, other_assets, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Page.objects.count() == pages and not Provenance.objects.exists()


def test_index_lists_only_pages_the_user_may_edit(
    editor, client, admin_user, other_assets, asset_index, remote_asset
):
    """Ensures that the Reuse overview lists reuses and "reused by" notices only for pages the
    user may edit."""
    from interlink_blocks.reuse.services import reuse_origin
    from interlink_blocks.reuse.upstream import record_reuse_notice

    no_files = {"dcat:distribution": [], "foaf:depiction": [], "interlink:body": []}
    mine = reuse_origin(Origin(metadata=remote_asset(**no_files), actor_name="City A"),
                        parent=other_assets, user=admin_user, fetch=None)  # fmt: skip
    hidden = {**no_files, "dct:identifier": "urn:uuid:00000000-0000-0000-0000-000000000009",
              "dct:title": "Hidden toolkit"}  # fmt: skip
    theirs = reuse_origin(Origin(metadata=remote_asset(**hidden), actor_name="City B"),
                          parent=asset_index, user=admin_user, fetch=None)  # fmt: skip
    record_reuse_notice(theirs.page, actor_url="http://127.0.0.1:9/c", actor_name="City C",
                        copy_object_id="http://127.0.0.1:9/c/1")  # fmt: skip
    client.force_login(editor)
    html = client.get(reverse("interlink_reuse:index")).content.decode()
    assert mine.page.title in html
    assert "Hidden toolkit" not in html and "City C" not in html
