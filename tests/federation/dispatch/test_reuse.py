"""Reuse across nodes through the dispatch table: "reused by" notices for our pages, and the
origin's updates and withdrawals of what we reused (federation/dispatch/reuse.py)."""

import pytest

from interlink_blocks.reuse.models import Provenance, ProvenanceState, ReuseNotice
from interlink_federation.dispatch import dispatch
from interlink_federation.models import InboxState, RemoteActor

from ..conftest import REMOTE

ACTOR = f"{REMOTE}/users/town"
OBJECT = f"{REMOTE}/ap/objects/7"
IDENTIFIER = "urn:uuid:7d3c5d0e-7b8d-4f57-9d8c-1b0a3e1f2a11"


def copy_of(local_actor, page, **overrides) -> dict:
    values = {
        "id": f"{REMOTE}/ap/objects/copy-2",
        "type": "Article",
        "attributedTo": ACTOR,
        "interlink:kind": "asset",
        "url": f"{REMOTE}/assets/copy/",
        "prov:wasDerivedFrom": local_actor.object_url(page.uuid),
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def activity(kind: str, obj, number: int = 1) -> dict:
    return {"id": f"{REMOTE}/activities/{kind}-{number}", "type": kind, "actor": ACTOR,
            "object": obj}  # fmt: skip


def test_reuse_notice_counts_and_its_delete_uncounts(local_actor, remote_actor, make_asset, client):
    """Ensures that another node's copy of our asset is recorded as "reused by" (the message
    processed), and only its owner's Delete uncounts it."""
    page = make_asset()
    copy = copy_of(local_actor, page)
    assert dispatch(activity("Create", copy), remote_actor) == InboxState.PROCESSED
    notice = ReuseNotice.objects.get()
    assert notice.page_id == page.pk and notice.actor_name == "Town of Remote"
    assert notice.copy_url == f"{REMOTE}/assets/copy/"
    assert "Reused by 1 administration" in client.get(page.url).content.decode()
    eve = RemoteActor.objects.create(uri=f"{REMOTE}/users/eve", domain="remote.example",
                                     inbox=f"{REMOTE}/users/eve/inbox")  # fmt: skip
    assert dispatch(activity("Delete", copy["id"]), eve) == InboxState.IGNORED
    assert "Reused by 1 administration" in client.get(page.url).content.decode()
    assert dispatch(activity("Delete", copy["id"], 2), remote_actor) == InboxState.PROCESSED
    assert "Reused by" not in client.get(page.url).content.decode()


def test_reuse_notice_never_links_a_script(local_actor, remote_actor, make_asset, client,
                                           admin_client):  # fmt: skip
    """Ensures that a "reused by" notice with a javascript: (or off-host) url keeps no link:
    neither the public page nor the admin shows it as an href."""
    from django.urls import reverse

    page = make_asset()
    dispatch(activity("Create", copy_of(local_actor, page, url="javascript:alert(1)")),
             remote_actor)  # fmt: skip
    dispatch(activity("Create", copy_of(local_actor, page, id=f"{REMOTE}/ap/objects/copy-3",
                                        url="https://evil.example/phish"), 2), remote_actor)  # fmt: skip
    assert sorted(ReuseNotice.objects.values_list("copy_url", flat=True)) == ["", ""]
    html = client.get(page.url).content.decode()
    assert "Reused by 1 administration" in html
    assert "javascript:" not in html and "evil.example" not in html
    admin_html = admin_client.get(reverse("interlink_reuse:index")).content.decode()
    assert "javascript:" not in admin_html and "evil.example" not in admin_html


@pytest.mark.parametrize(
    "overrides",
    [
        {"type": "Note", "interlink:kind": None},  # a Mastodon Note naming our page
        {"interlink:kind": "story"},
        {"id": "https://elsewhere.example/ap/objects/copy"},  # the copy is not the sender's
        {"prov:wasDerivedFrom": f"{REMOTE}/ap/objects/{{uuid}}"},  # our UUID, their host
        {"prov:wasDerivedFrom": {"id": 7}},
    ],
)
def test_only_interlink_copies_of_our_pages_count(local_actor, remote_actor, make_asset, overrides):
    """Ensures that only an Interlink call or asset of the sender, derived from one of our
    own object URLs, counts as a reuse."""
    page = make_asset()
    values = {key: value.format(uuid=page.uuid) if isinstance(value, str) else value
              for key, value in overrides.items()}  # fmt: skip
    assert dispatch(activity("Create", copy_of(local_actor, page, **values)), remote_actor) == (
        InboxState.IGNORED
    )
    assert not ReuseNotice.objects.exists()


# --- what we reused -------------------------------------------------------------------


def origin_object(**extra) -> dict:
    return {
        "id": OBJECT,
        "type": "Article",
        "attributedTo": ACTOR,
        "name": "Library blueprint",
        "content": "<p>Blueprint</p>",
        "updated": "2026-11-01T10:00:00Z",
        "interlink:kind": "asset",
        "dct:identifier": IDENTIFIER,
        **extra,
    }


@pytest.fixture
def reuse(make_asset):
    """One of our pages, reused from the remote town's OBJECT."""
    return Provenance.objects.create(
        page=make_asset(publish=False),
        origin_identifier=IDENTIFIER,
        origin_object_id=OBJECT,
        origin_name="Town of Remote",
        origin_actor_url=ACTOR,
        licence="CC-BY-4.0",
        channel="federation",
        applied_snapshot={"dct:title": "Library blueprint"},
    )


def state_of(provenance: Provenance) -> str:
    provenance.refresh_from_db()
    return provenance.state


def test_origin_update_from_an_actor_we_do_not_follow(remote_actor, reuse):
    """Ensures that the origin's Update of an object we reused is recorded for review even
    when we do not follow the origin (nothing enters the catalogue), with our codes where
    the object carries vocabulary IRIs."""
    from interlink_federation.models import RemoteObject

    update = origin_object(name="Library blueprint v2", updated="2026-11-05T10:00:00Z",
                           **{"adms:status": "http://purl.org/adms/status/Completed",
                              "interlink:maturity": "tested"})  # fmt: skip
    assert dispatch(activity("Update", update), remote_actor) == InboxState.PROCESSED
    assert state_of(reuse) == ProvenanceState.UPSTREAM_CHANGED
    assert reuse.received_snapshot["dct:title"] == "Library blueprint v2"
    assert reuse.received_snapshot["adms:status"] == "tested"
    assert not RemoteObject.objects.exists()


def test_late_older_update_changes_nothing(remote_actor, reuse):
    """Ensures that an older version arriving after a newer one does not replace it."""
    newer = origin_object(name="v3", updated="2026-11-09T10:00:00Z")
    dispatch(activity("Update", newer), remote_actor)
    older = origin_object(name="v2", updated="2026-11-05T10:00:00Z")
    dispatch(activity("Update", older, 2), remote_actor)
    reuse.refresh_from_db()
    assert reuse.received_snapshot["dct:title"] == "v3"


def test_identifier_alone_does_not_let_another_actor_speak_for_the_origin(reuse, db):
    """Ensures that another node's object claiming our origin's ``dct:identifier`` marks
    nothing: only the origin's own object, or its own account, counts."""
    impostor = RemoteActor.objects.create(uri="https://evil.example/users/x", domain="evil.example",
                                          inbox="https://evil.example/inbox")  # fmt: skip
    claim = origin_object(id="https://evil.example/ap/objects/1", name="Pay here")
    assert dispatch(activity("Update", claim), impostor) == InboxState.IGNORED
    assert state_of(reuse) == ProvenanceState.IN_SYNC and reuse.received_snapshot == {}


def test_origin_delete_then_published_again(remote_actor, reuse):
    """Ensures that the origin's Delete marks the reuse "origin withdrawn" (the page stays),
    and its Create of the same object afterwards "upstream changed"."""
    tombstone = {"id": OBJECT, "type": "Tombstone"}
    assert dispatch(activity("Delete", tombstone), remote_actor) == InboxState.PROCESSED
    assert state_of(reuse) == ProvenanceState.ORIGIN_WITHDRAWN
    assert type(reuse.page.specific).objects.filter(pk=reuse.page_id).exists()
    again = origin_object(name="Library blueprint, again", updated="2026-12-01T10:00:00Z")
    assert dispatch(activity("Create", again), remote_actor) == InboxState.PROCESSED
    assert state_of(reuse) == ProvenanceState.UPSTREAM_CHANGED


def test_origin_account_deleted(remote_actor, reuse):
    """Ensures that the Delete of the origin's account marks every reuse of its objects
    "origin withdrawn"."""
    assert dispatch(activity("Delete", ACTOR), remote_actor) == InboxState.PROCESSED
    assert state_of(reuse) == ProvenanceState.ORIGIN_WITHDRAWN
