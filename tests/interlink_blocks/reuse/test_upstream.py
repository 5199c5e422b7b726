"""Upstream changes: update → comparison → applied draft; delete → withdrawn; reuse notices."""

import copy
import re

import pytest
from django.urls import reverse

from interlink_blocks.metadata import page_metadata
from interlink_blocks.models import AssetPage, CallPage
from interlink_blocks.reuse.models import Provenance, ReuseNotice
from interlink_blocks.reuse.services import Origin, reuse_origin
from interlink_blocks.reuse.upstream import (
    record_reuse_notice,
    record_reuse_withdrawn,
    record_upstream_delete,
    record_upstream_update,
)

OBJECT_ID = "http://127.0.0.1:9/objects/pb-toolkit"


@pytest.fixture
def reused(remote_asset, other_assets, guarded_fetch, admin_user):
    """A reused asset, published locally, with the origin's metadata at hand."""
    data = remote_asset()
    result = reuse_origin(
        Origin(
            metadata=data,
            object_id=OBJECT_ID,
            actor_name="City of Origin",
            actor_url="http://127.0.0.1:9/actor",
            url="http://127.0.0.1:9/assets/pb/",
        ),  # fmt: skip
        parent=other_assets,
        user=admin_user,
        fetch=guarded_fetch,
    )
    page = AssetPage.objects.get(pk=result.page.pk)
    page.save_revision(user=admin_user).publish()
    return page, data


def updated(data, file_server):
    new = copy.deepcopy(data)
    new["dct:title"] = "Participatory budgeting toolkit, second edition"
    new["owl:versionInfo"] = "4.0"
    new["dct:modified"] = "2026-11-20T09:00:00+00:00"
    new["interlink:body"][1]["value"] = "<p>Start <b>very</b> early.</p>"
    file_server.files["/files/annex.pdf"] = (b"%PDF-1.4 annex", "application/pdf")
    new["dcat:distribution"].append(
        {"dct:title": "Annex", "dcat:downloadURL": file_server.url("/files/annex.pdf")}
    )
    return new


def test_update_marks_changed_and_compare_then_apply(reused, file_server, admin_client, settings):
    """Ensures that an Update is recorded, compared field by field and block by block, and applied as a draft."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    page, data = reused
    new = updated(data, file_server)
    [provenance] = record_upstream_update(OBJECT_ID, new)
    assert provenance.state == "upstream_changed"
    assert provenance.received_snapshot["owl:versionInfo"] == "4.0"
    assert provenance.applied_snapshot["owl:versionInfo"] == "3.0"
    page.refresh_from_db()
    assert page.title == "Participatory budgeting toolkit"  # nothing overwritten yet

    response = admin_client.get(reverse("interlink_reuse:compare", args=[provenance.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "second edition" in html  # title field diff
    assert "very" in html  # body block diff
    assert "Annex" in html  # a new file, downloaded only when applied
    assert "Apply the chosen changes to a new draft revision" in html
    assert checked(html) == ["title", "version", "body", "documents"]

    edit_response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "Review changes at the origin" in edit_response.content.decode()

    response = admin_client.post(
        reverse("interlink_reuse:compare", args=[provenance.pk]),
        {"fields": checked(html), "token": token(html)},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.title == "Participatory budgeting toolkit"  # live page untouched
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Participatory budgeting toolkit, second edition"
    assert draft.version == "4.0"
    assert "very" in draft.body[1].value.source
    assert [d.title for d in draft.attachments] == ["Toolkit (PDF)", "Annex"]
    provenance.refresh_from_db()
    assert provenance.state == "in_sync" and provenance.origin_version == "4.0"
    # The first PDF was not downloaded again: only the annex was new.
    assert file_server.requests.count("/files/blueprint.pdf") == 1


def checked(html: str) -> list[str]:
    """The fields the comparison suggests taking over (ticked checkboxes), in order."""
    return re.findall(r'name="fields" value="(\w+)" checked', html)


def offered(html: str) -> list[str]:
    return re.findall(r'name="fields" value="(\w+)"', html)


def token(html: str) -> str:
    return re.search(r'name="token" value="(\w+)"', html)[1]


def test_identical_update_keeps_in_sync(reused):
    """Ensures that an Update that changes nothing does not ask editors to review."""
    _page, data = reused
    [provenance] = record_upstream_update(OBJECT_ID, data)
    assert provenance.state == "in_sync"


def test_delete_marks_withdrawn_and_keeps_copy(reused, client):
    """Ensures that a Delete at the origin marks the reuse withdrawn and keeps the local page."""
    page, _data = reused
    [provenance] = record_upstream_delete(OBJECT_ID)
    assert provenance.state == "origin_withdrawn"
    assert AssetPage.objects.filter(pk=page.pk, live=True).exists()
    response = client.get(page.url)
    assert "no longer published by its administration" in response.content.decode()


def test_public_page_attribution(reused, client):
    """Ensures that a reused page names its origin and licence when the licence requires attribution."""
    page, _data = reused
    html = client.get(page.url).content.decode()
    assert "Adapted from" in html and "City of Origin" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert "changes were made" in html
    # Saved, as the app saves provenance (a bare update() would skip the signal that
    # refreshes the page's cached reuse section).
    provenance = Provenance.objects.get(page=page)
    provenance.licence = "CC0-1.0"
    provenance.save()
    html = client.get(page.url).content.decode()
    assert "Adapted from" in html and "changes were made" not in html


def test_reused_page_metadata_names_origin(reused):
    """Ensures that the reused page's metadata carries prov:wasDerivedFrom and its lineage."""
    page, _data = reused
    data = page_metadata(page)
    assert data["prov:wasDerivedFrom"] == OBJECT_ID
    assert data["dct:isVersionOf"] == OBJECT_ID
    assert data["interlink:lineage"][0]["dct:publisher"]["foaf:name"] == "City of Origin"
    from interlink_blocks.reuse.lineage import origin_actor_url

    assert origin_actor_url(page) == "http://127.0.0.1:9/actor"


def test_lineage_travels_on(remote_asset, other_assets, guarded_fetch, admin_user, home):
    """Ensures that reusing a reuse keeps the whole chain of origins."""
    from interlink_blocks.models import AssetIndexPage

    first = reuse_origin(Origin(metadata=remote_asset(), object_id=OBJECT_ID, actor_name="City of Origin"),
                         parent=other_assets, user=admin_user, fetch=guarded_fetch).page  # fmt: skip
    onward = page_metadata(first)
    onward["dct:identifier"] = "urn:uuid:00000000-0000-0000-0000-0000000000aa"
    onward.update({"dcat:distribution": [], "foaf:depiction": [], "interlink:body": []})
    third = home.add_child(instance=AssetIndexPage(title="Third", slug="third"))
    result = reuse_origin(Origin(metadata=onward, object_id="http://127.0.0.1:9/b/1", actor_name="City B"),
                          parent=third, user=admin_user, fetch=None)  # fmt: skip
    lineage = result.provenance.lineage
    assert [entry["dct:publisher"]["foaf:name"] for entry in lineage] == ["City of Origin"]


def test_reused_by_count_on_origin_page(make_asset, client, admin_client):
    """Ensures that reuse notices show "Reused by N administrations" on our page and in the admin."""
    page = make_asset()
    record_reuse_notice(page, actor_url="http://127.0.0.1:9/a", actor_name="City A",
                        copy_object_id="http://127.0.0.1:9/a/1", copy_url="http://127.0.0.1:9/a/p/")  # fmt: skip
    record_reuse_notice(page, actor_url="http://127.0.0.1:9/a", actor_name="City A",
                        copy_object_id="http://127.0.0.1:9/a/1", copy_url="http://127.0.0.1:9/a/p/")  # fmt: skip
    record_reuse_notice(page, actor_url="http://127.0.0.1:9/b", actor_name="City B",
                        copy_object_id="http://127.0.0.1:9/b/7")  # fmt: skip
    assert ReuseNotice.objects.count() == 2
    html = client.get(page.url).content.decode()
    assert "Reused by 2 administrations" in html
    assert 'href="http://127.0.0.1:9/a/p/"' in html and "City B" in html
    admin_html = admin_client.get(reverse("interlink_reuse:index")).content.decode()
    assert "City A" in admin_html and "City B" in admin_html
    record_reuse_withdrawn("http://127.0.0.1:9/b/7")
    assert "Reused by 1 administration" in client.get(page.url).content.decode()


def test_compare_needs_edit_permission(reused, file_server, client, django_user_model):
    """Ensures that only users who may edit the reused page see or apply the origin's changes."""
    from django.contrib.auth.models import Permission

    page, data = reused
    [provenance] = record_upstream_update(OBJECT_ID, updated(data, file_server))
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    url = reverse("interlink_reuse:compare", args=[provenance.pk])
    assert client.get(url).status_code == 302
    assert client.post(url).status_code == 302
    provenance.refresh_from_db()
    assert provenance.state == "upstream_changed"
    assert AssetPage.objects.get(pk=page.pk).get_latest_revision_as_object().title == page.title


def test_apply_refused_when_origin_closes_licence(reused, admin_client):
    """Ensures that an update that moves to a licence forbidding adaptation cannot be applied."""
    page, data = reused
    closed = {**data, "dct:license": "http://spdx.org/licenses/CC-BY-ND-4.0"}
    [provenance] = record_upstream_update(OBJECT_ID, closed)
    response = admin_client.post(
        reverse("interlink_reuse:compare", args=[provenance.pk]), {"fields": ["title"]}, follow=True
    )
    assert "does not allow adaptations" in response.content.decode()
    provenance.refresh_from_db()
    assert provenance.state == "upstream_changed" and provenance.licence == "CC-BY-4.0"
    assert (
        page.get_latest_revision().pk == AssetPage.objects.get(pk=page.pk).get_latest_revision().pk
    )


def compare_url(provenance) -> str:
    return reverse("interlink_reuse:compare", args=[provenance.pk])


def test_update_is_three_way_and_keeps_local_adaptations(reused, admin_client, admin_user):
    """Ensures that the comparison shows what the origin changed since the version we took
    over, suggests only fields we did not change here, and applying the suggestion keeps our
    own summary and body while taking the origin's new title and version."""
    page, data = reused
    local = page.get_latest_revision_as_object()
    local.summary = "Our own summary for our districts."
    local.body[0].value["text"] = "Our steps"
    local.save_revision(user=admin_user)
    new = copy.deepcopy(data)
    new.update({"dct:title": "Toolkit, second edition", "owl:versionInfo": "4.0",
                "dct:description": "Their new summary."})  # fmt: skip
    new["interlink:body"][0]["value"]["text"] = "Their steps"
    [provenance] = record_upstream_update(OBJECT_ID, new)

    html = admin_client.get(compare_url(provenance)).content.decode()
    assert offered(html) == ["title", "summary", "version", "body"]  # what the origin changed
    assert checked(html) == ["title", "version"]  # not what we changed here
    assert html.count("You changed this field here") == 2
    assert "Their new summary" in html and "Our own summary" not in html  # origin's change only

    admin_client.post(compare_url(provenance), {"fields": checked(html), "token": token(html)})
    draft = AssetPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert (draft.title, draft.version) == ("Toolkit, second edition", "4.0")
    assert draft.summary == "Our own summary for our districts."
    assert draft.body[0].value["text"] == "Our steps"
    provenance.refresh_from_db()
    assert provenance.state == "in_sync" and provenance.applied_snapshot == new

    # A later update is compared with the version just taken over, not the first one.
    newer = {**new, "owl:versionInfo": "4.1"}
    [provenance] = record_upstream_update(OBJECT_ID, newer)
    html = admin_client.get(compare_url(provenance)).content.decode()
    assert offered(html) == ["version"]


def test_editor_may_take_over_a_locally_changed_field(reused, admin_client, admin_user):
    """Ensures that a field changed here is overwritten only when the editor ticks it."""
    page, data = reused
    local = page.get_latest_revision_as_object()
    local.summary = "Ours."
    local.save_revision(user=admin_user)
    [provenance] = record_upstream_update(OBJECT_ID, {**data, "dct:description": "Theirs."})
    html = admin_client.get(compare_url(provenance)).content.decode()
    assert checked(html) == []
    response = admin_client.post(compare_url(provenance), {"token": token(html)}, follow=True)
    assert "Choose at least one" in response.content.decode()
    admin_client.post(compare_url(provenance), {"fields": ["summary"], "token": token(html)})
    assert AssetPage.objects.get(pk=page.pk).get_latest_revision_as_object().summary == "Theirs."


def test_keep_my_version_marks_reviewed(reused, admin_client):
    """Ensures that "Keep my version" applies nothing and the next update is compared with
    the version reviewed."""
    page, data = reused
    revisions = page.revisions.count()
    [provenance] = record_upstream_update(OBJECT_ID, {**data, "owl:versionInfo": "9"})
    html = admin_client.get(compare_url(provenance)).content.decode()
    admin_client.post(compare_url(provenance), {"dismiss": "1", "token": token(html)})
    provenance.refresh_from_db()
    assert provenance.state == "in_sync" and page.revisions.count() == revisions
    [provenance] = record_upstream_update(OBJECT_ID, {**data, "owl:versionInfo": "9",
                                                      "dct:title": "Renamed"})  # fmt: skip
    assert offered(admin_client.get(compare_url(provenance)).content.decode()) == ["title"]


def test_stale_review_is_not_applied(reused, admin_client):
    """Ensures that applying a review of a version the origin has since replaced applies nothing."""
    page, data = reused
    [provenance] = record_upstream_update(OBJECT_ID, {**data, "dct:title": "One"})
    html = admin_client.get(compare_url(provenance)).content.decode()
    record_upstream_update(OBJECT_ID, {**data, "dct:title": "Two"})
    response = admin_client.post(compare_url(provenance), {"fields": ["title"], "token": token(html)},
                                 follow=True)  # fmt: skip
    assert "another version" in response.content.decode()
    assert AssetPage.objects.get(pk=page.pk).get_latest_revision_as_object().title == page.title


def test_reused_call_follows_only_template_fields(make_call, other_calls, admin_user, admin_client):
    """Ensures that for a reused call only the template fields follow the origin: its status,
    dates, contact and sectors are ours and never offered."""
    call = make_call(contact_email="ana@example.org", place="North")
    data = page_metadata(call)
    data["dct:identifier"] = "urn:uuid:00000000-0000-0000-0000-000000000043"
    result = reuse_origin(Origin(metadata=data, object_id="http://127.0.0.1:9/c/1"),
                          parent=other_calls, user=admin_user, fetch=None)  # fmt: skip
    new = {**data, "dct:title": "A new title", "adms:status": "closed",
           "interlink:deadline": "2030-01-01", "cv:sector": [{"interlink:slug": "education"}],
           "cv:hasContactPoint": {"schema:email": "someone@example.org"}, "dct:spatial": "South"}  # fmt: skip
    [provenance] = record_upstream_update("http://127.0.0.1:9/c/1", new)
    html = admin_client.get(compare_url(provenance)).content.decode()
    assert offered(html) == ["title", "place"]
    admin_client.post(compare_url(provenance), {"fields": offered(html), "token": token(html)})
    draft = CallPage.objects.get(pk=result.page.pk).get_latest_revision_as_object()
    assert (draft.title, draft.place, draft.status) == ("A new title", "South", "draft_idea")
    assert draft.deadline is None and draft.contact_email == "" and not draft.sectors.all()


def test_malformed_update_gives_a_message(reused, admin_client):
    """Ensures that an update whose body cannot be read shows a message in the comparison and
    when applied, instead of a server error, and changes nothing."""
    page, data = reused
    bad = copy.deepcopy(data)
    bad["interlink:body"][1]["value"] = {"not": "rich text"}
    [provenance] = record_upstream_update(OBJECT_ID, bad)
    response = admin_client.get(compare_url(provenance))
    assert response.status_code == 200 and "body is malformed" in response.content.decode()
    response = admin_client.post(compare_url(provenance), {"fields": ["body"]}, follow=True)
    assert response.status_code == 200 and "body is malformed" in response.content.decode()
    assert (
        AssetPage.objects.get(pk=page.pk).get_latest_revision().pk == page.get_latest_revision().pk
    )
    provenance.refresh_from_db()
    assert provenance.state == "upstream_changed"


def test_origin_published_again_clears_withdrawn(reused, file_server):
    """Ensures that after a withdrawal, the origin's new publication of the same object
    restores the reuse: "in sync" when identical, "upstream changed" when not. (Through
    federation's inbox: tests/federation/dispatch/test_reuse.py.)"""
    _page, data = reused
    [provenance] = record_upstream_delete(OBJECT_ID)
    assert provenance.state == "origin_withdrawn"
    [provenance] = record_upstream_update(OBJECT_ID, data)
    assert provenance.state == "in_sync"
    record_upstream_delete(OBJECT_ID)
    [provenance] = record_upstream_update(OBJECT_ID, updated(data, file_server))
    assert provenance.state == "upstream_changed"


def test_older_version_arriving_late_changes_nothing(reused, file_server):
    """Ensures that a version older than the last one received (a late delivery) neither
    replaces it nor changes the state."""
    _page, data = reused
    newer = updated(data, file_server)
    [provenance] = record_upstream_update(OBJECT_ID, newer)
    older = {
        **copy.deepcopy(data),
        "dct:title": "Older",
        "dct:modified": "2020-01-01T00:00:00+00:00",
    }
    assert record_upstream_update(OBJECT_ID, older) == []
    provenance.refresh_from_db()
    assert provenance.received_snapshot["dct:title"] == newer["dct:title"]
    assert provenance.state == "upstream_changed"


def test_identifier_counts_only_from_the_origin_account(reused):
    """Ensures that news naming our origin only by its ``dct:identifier`` counts when it
    comes from the origin's own account."""
    _page, data = reused
    claim = {**copy.deepcopy(data), "dct:title": "Pay here"}
    other = "http://127.0.0.1:9/elsewhere/1"
    assert record_upstream_update(other, claim, sender="http://127.0.0.1:9/impostor") == []
    [provenance] = record_upstream_update(other, claim, sender="http://127.0.0.1:9/actor")
    assert provenance.received_snapshot["dct:title"] == "Pay here"
