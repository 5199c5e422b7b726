"""The dispatch table: how activities are routed, and that every feature's mapping is
reached through it exactly once (federation/dispatch/)."""

import sys
from collections import Counter

import pytest

from interlink_blocks.reuse import remote_accounts, upstream
from interlink_blocks.reuse.models import Provenance, ProvenanceState
from interlink_federation import dispatch, handlers
from interlink_federation.dispatch import ANY, ID_ONLY, DispatchTable, RouteError
from interlink_federation.models import (
    Following,
    FollowState,
    InboxMessage,
    InboxState,
    RemoteObject,
)

from ..conftest import REMOTE

ACTOR = f"{REMOTE}/users/town"
OBJECT = f"{REMOTE}/ap/objects/7"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


# --- routing --------------------------------------------------------------------------


def routed(table: DispatchTable, activity: dict) -> list[str]:
    return [route.handler.__name__ for route in table.routes_for(activity)]


def test_routes_by_activity_and_object_type():
    """Ensures that an activity reaches the routes for its object's type (each type of a
    list), for an object named by id alone, and for any object, exact routes first."""
    table = DispatchTable()

    def note(incoming):
        return True

    def by_id(incoming):
        return True

    def anything(incoming):
        return True

    table.register("Create", "Note", note, feature="a")
    table.register("Create", ID_ONLY, by_id, feature="a")
    table.register("Create", ANY, anything, feature="b")
    assert routed(table, {"type": "Create", "object": {"type": "Note"}}) == ["note", "anything"]
    assert routed(table, {"type": "Create", "object": {"type": ["Question", "Note"]}}) == [
        "note",
        "anything",
    ]
    assert routed(table, {"type": "Create", "object": "https://x.example/1"}) == [
        "by_id",
        "anything",
    ]
    assert routed(table, {"type": "Create", "object": {"id": "https://x.example/1"}}) == [
        "by_id",
        "anything",
    ]
    assert routed(table, {"type": "Create", "object": {"type": "Article"}}) == ["anything"]
    assert routed(table, {"type": "Announce", "object": {"type": "Note"}}) == []
    assert routed(table, {"type": ["Create"], "object": {"type": "Note"}}) == []


def test_a_handler_runs_once_however_many_of_its_routes_match():
    """Ensures that a handler registered for an object type and for any object is called
    once for an activity both routes match."""
    table, seen = DispatchTable(), []

    def handler(incoming):
        seen.append(incoming.object_id)
        return True

    table.register("Like", "Note", handler, feature="a")
    table.register("Like", ANY, handler, feature="a")
    assert table.dispatch(dispatch.Incoming({"type": "Like", "object": {"id": "n", "type": "Note"}},
                                            sender=None))  # fmt: skip
    assert seen == ["n"]


def test_registering_twice_or_without_a_type_is_refused():
    """Ensures that the same handler cannot be registered twice for one route, and that a
    route needs a real activity type."""
    table = DispatchTable()

    def handler(incoming):
        return False

    table.register("Like", ANY, handler, feature="a")
    with pytest.raises(RouteError):
        table.register("Like", ANY, handler, feature="a")
    with pytest.raises(RouteError):
        table.register(ANY, ANY, handler, feature="a")
    with pytest.raises(RouteError):
        table.register("Like", "", handler, feature="a")


def test_extra_route_exists_only_inside_its_block():
    """Ensures that a route added for a while (tests, experiments) is gone afterwards."""
    table = DispatchTable()
    with table.extra_route("Like", ANY, lambda incoming: True):
        assert len(table.routes_for({"type": "Like", "object": "x"})) == 1
    assert table.routes_for({"type": "Like", "object": "x"}) == []


def test_every_feature_is_registered():
    """Ensures that the installed features' modules filled the table, one module per
    feature, and each of their handlers is in it."""
    features = {route.feature for route in dispatch.table.routes()}
    assert features == {name for name, _apps in dispatch.FEATURES}
    names = {route.name for route in dispatch.table.routes()}
    assert {"follows.follow", "catalogue.stored", "participation.reply", "reuse.deleted"} <= names


def test_a_feature_without_its_apps_is_not_loaded(monkeypatch):
    """Ensures that a feature whose apps are not installed gets no routes (the node works
    without reuse or participation)."""
    monkeypatch.setattr(dispatch, "FEATURES", (("follows", ()), ("polls", ("no.such.app",))))
    assert dispatch.load() == ["follows"]


# --- each mapping reached exactly once --------------------------------------------------

SERVICES = (
    remote_accounts.remote_comment,
    remote_accounts.remote_support,
    remote_accounts.withdraw_remote_support,
    remote_accounts.remote_comment_deleted,
    upstream.record_reuse_notice,
    upstream.record_reuse_withdrawn,
    upstream.record_upstream_update,
    upstream.record_upstream_delete,
    upstream.record_origin_actor_gone,
)


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """How often each feature service ran: every reference to it in every loaded module is
    wrapped, so a second path (a signal receiver, a direct call) would be counted too."""
    counted: Counter = Counter()

    def counting(function):
        def wrapper(*args, **kwargs):
            counted[function.__name__] += 1
            return function(*args, **kwargs)

        return wrapper

    for function in SERVICES:
        wrapper = counting(function)
        for module in list(sys.modules.values()):
            for name, value in list(getattr(module, "__dict__", {}).items()):
                if value is function:
                    monkeypatch.setattr(module, name, wrapper)
    return counted


@pytest.fixture
def world(local_actor, remote_actor, make_call, make_asset):
    """A call of ours, a remote item we follow, reused here, and one of our assets."""
    Following.objects.create(local_actor=local_actor, remote_actor=remote_actor,
                             state=FollowState.ACCEPTED, follow_activity_id="f")  # fmt: skip
    document = {"id": OBJECT, "type": "Article", "attributedTo": ACTOR, "name": "Blueprint",
                "interlink:kind": "asset", "updated": "2026-11-01T10:00:00Z"}  # fmt: skip
    RemoteObject.objects.create(uri=OBJECT, actor=remote_actor, kind="asset", ap_type="Article",
                                name="Blueprint", document=document)  # fmt: skip
    provenance = Provenance.objects.create(
        page=make_asset(publish=False), origin_identifier="urn:uuid:1", origin_object_id=OBJECT,
        origin_name="Town", origin_actor_url=ACTOR, licence="CC-BY-4.0", channel="federation",
    )  # fmt: skip
    return {"call": make_call(), "asset": make_asset(title="Ours"), "document": document,
            "provenance": provenance, "local": local_actor}  # fmt: skip


def reply(world) -> dict:
    return {"id": f"{ACTOR}/statuses/1", "type": "Note", "attributedTo": ACTOR, "to": [PUBLIC],
            "inReplyTo": world["local"].object_url(world["call"].uuid), "content": "<p>Yes</p>"}  # fmt: skip


def like(world) -> dict:
    return {"id": f"{REMOTE}/likes/1", "type": "Like", "actor": ACTOR,
            "object": world["local"].object_url(world["call"].uuid)}  # fmt: skip


CASES = {
    "reply": (lambda w: ("Create", reply(w)), {"remote_comment": 1}),
    "like": (lambda w: ("Like", like(w)["object"]), {"remote_support": 1}),
    "undo like": (lambda w: ("Undo", like(w)), {"withdraw_remote_support": 1}),
    "reuse notice": (
        lambda w: (
            "Create",
            {
                "id": f"{REMOTE}/ap/objects/copy",
                "type": "Article",
                "attributedTo": ACTOR,
                "interlink:kind": "asset",
                "prov:wasDerivedFrom": w["local"].object_url(w["asset"].uuid),
            },
        ),
        {"record_reuse_notice": 1, "record_upstream_update": 1},  # a copy is an object too
    ),  # fmt: skip
    "upstream update": (
        lambda w: (
            "Update",
            {**w["document"], "name": "Blueprint 2", "updated": "2026-11-02T10:00:00Z"},
        ),
        {"record_upstream_update": 1},
    ),  # fmt: skip
    "upstream delete": (
        lambda w: ("Delete", {"id": OBJECT, "type": "Tombstone"}),
        {"remote_comment_deleted": 1, "record_reuse_withdrawn": 1, "record_upstream_delete": 1},
    ),
    "origin account deleted": (lambda w: ("Delete", ACTOR), {"record_origin_actor_gone": 1}),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mapping_is_reached_once(world, calls, case):
    """Ensures that an activity handled by the worker reaches each feature service it
    concerns exactly once, and no other (e.g. an upstream delete is handled once, not also
    by a catalogue signal)."""
    build, expected = CASES[case]
    kind, obj = build(world)
    message = InboxMessage.objects.create(
        activity_id=f"{REMOTE}/activities/{kind}-1", activity_type=kind, actor_uri=ACTOR,
        body={"id": f"{REMOTE}/activities/{kind}-1", "type": kind, "actor": ACTOR, "object": obj},
    )  # fmt: skip
    handlers.process(message.pk)
    message.refresh_from_db()
    assert message.state != InboxState.FAILED, message.error
    assert dict(calls) == expected


def test_upstream_delete_of_a_catalogue_item_withdraws_it_once(world, calls):
    """Ensures that the origin's Delete of a reused catalogue item withdraws the catalogue
    entry and marks the reuse "origin withdrawn", reaching reuse once."""
    delete = {"id": f"{REMOTE}/d/1", "type": "Delete", "actor": ACTOR, "object": OBJECT}
    message = InboxMessage.objects.create(activity_id=delete["id"], activity_type="Delete",
                                          actor_uri=ACTOR, body=delete)  # fmt: skip
    handlers.process(message.pk)
    assert RemoteObject.objects.get(uri=OBJECT).deleted_at is not None
    world["provenance"].refresh_from_db()
    assert world["provenance"].state == ProvenanceState.ORIGIN_WITHDRAWN
    assert calls["record_upstream_delete"] == 1
