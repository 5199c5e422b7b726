"""Publishing: Create / Update / Delete to followers, one delivery per distinct inbox."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from interlink_federation.models import Delivery, Follower, FollowState, OutboxActivity, RemoteActor


@pytest.fixture
def followers(local_actor):
    """Ensures five accepted followers: three share one server's inbox, one pending is skipped."""
    rows = []
    for number, (host, shared) in enumerate(
        [
            ("one.example", "https://one.example/inbox"),
            ("one.example", "https://one.example/inbox"),
            ("one.example", "https://one.example/inbox"),
            ("two.example", ""),
            ("three.example", "https://three.example/inbox"),
        ]
    ):
        remote = RemoteActor.objects.create(
            uri=f"https://{host}/users/{number}",
            domain=host,
            inbox=f"https://{host}/users/{number}/inbox",
            shared_inbox=shared,
        )
        rows.append(
            Follower.objects.create(
                local_actor=local_actor,
                remote_actor=remote,
                state=FollowState.ACCEPTED,
                follow_activity_id=f"https://{host}/follows/{number}",
            )
        )
    pending = RemoteActor.objects.create(
        uri="https://four.example/users/x",
        domain="four.example",
        inbox="https://four.example/users/x/inbox",
    )
    Follower.objects.create(
        local_actor=local_actor, remote_actor=pending, follow_activity_id="https://four.example/f"
    )
    return rows


def inboxes(activity: OutboxActivity) -> list[str]:
    return sorted(activity.deliveries.values_list("inbox", flat=True))


def test_publish_creates_one_delivery_per_distinct_inbox(local_actor, followers, make_call):
    """Ensures that publishing a call sends Create once per distinct (shared) inbox."""
    call = make_call()
    activity = OutboxActivity.objects.get(activity_type="Create")
    assert activity.object_uri == local_actor.object_url(call.uuid)
    assert activity.document["object"]["name"] == call.title
    assert inboxes(activity) == [
        "https://one.example/inbox",
        "https://three.example/inbox",
        "https://two.example/users/3/inbox",
    ]
    assert set(activity.deliveries.values_list("state", flat=True)) == {"queued"}


def test_republish_sends_update(local_actor, followers, make_asset):
    """Ensures that publishing again sends Update with the new content."""
    asset = make_asset()
    asset.title = "Home-care blueprint, second edition"
    asset.save_revision().publish()
    types = list(OutboxActivity.objects.order_by("pk").values_list("activity_type", flat=True))
    assert types == ["Create", "Update"]
    update = OutboxActivity.objects.get(activity_type="Update")
    assert update.document["object"]["name"] == "Home-care blueprint, second edition"
    assert len(inboxes(update)) == 3


def test_unpublish_sends_delete_with_tombstone(local_actor, followers, make_call):
    """Ensures that unpublishing sends Delete with a Tombstone, once."""
    call = make_call()
    call.unpublish()
    call.unpublish()
    delete = OutboxActivity.objects.get(activity_type="Delete")
    assert delete.document["object"]["type"] == "Tombstone"
    assert delete.document["object"]["id"] == local_actor.object_url(call.uuid)
    assert len(inboxes(delete)) == 3


def test_republish_after_unpublish_is_create(local_actor, followers, make_call):
    """Ensures that a page published again after removal is created anew."""
    call = make_call()
    call.unpublish()
    call.save_revision().publish()
    types = list(OutboxActivity.objects.order_by("pk").values_list("activity_type", flat=True))
    assert types == ["Create", "Delete", "Create"]


def test_deleting_a_page_sends_delete(local_actor, followers, make_asset):
    """Ensures that deleting a published page sends Delete."""
    asset = make_asset()
    asset.delete()
    assert OutboxActivity.objects.filter(activity_type="Delete").count() == 1


def test_drafts_never_leave(local_actor, followers, make_call):
    """Ensures that a draft (saved, not published) produces no activity."""
    make_call(publish=False)
    assert OutboxActivity.objects.count() == 0 and Delivery.objects.count() == 0


def test_private_pages_never_leave(local_actor, followers, make_call, call_index):
    """Ensures that pages under a view restriction are not federated, and become Delete when restricted."""
    PageViewRestriction.objects.create(page=call_index, restriction_type="login")
    make_call(title="Private", slug="private")
    assert OutboxActivity.objects.count() == 0


def test_page_made_private_is_deleted_remotely(local_actor, followers, make_call):
    """Ensures that restricting an already federated page sends Delete on its next publish."""
    call = make_call()
    PageViewRestriction.objects.create(page=call, restriction_type="login")
    call.save_revision().publish()
    types = list(OutboxActivity.objects.order_by("pk").values_list("activity_type", flat=True))
    assert types == ["Create", "Delete"]


def test_other_page_types_do_not_federate(local_actor, followers, home):
    """Ensures that only calls and assets federate (an information page does not)."""
    from interlink_blocks.models import InformationPage

    page = home.add_child(instance=InformationPage(title="About", slug="about"))
    page.save_revision().publish()
    assert OutboxActivity.objects.count() == 0


def test_no_followers_no_deliveries(local_actor, make_call):
    """Ensures that publishing without followers records the activity (outbox) but no deliveries."""
    make_call()
    assert OutboxActivity.objects.count() == 1 and Delivery.objects.count() == 0


def types_sent() -> list[str]:
    return list(OutboxActivity.objects.order_by("pk").values_list("activity_type", flat=True))


def test_restricting_a_page_sends_delete_at_once(local_actor, followers, make_call):
    """Ensures that adding a view restriction to a federated call sends Delete to followers
    right away, without any republish."""
    call = make_call()
    PageViewRestriction.objects.create(page=call, restriction_type="login")
    assert types_sent() == ["Create", "Delete"]
    delete = OutboxActivity.objects.get(activity_type="Delete")
    assert delete.object_uri == local_actor.object_url(call.uuid)
    assert len(inboxes(delete)) == 3


def test_restricting_a_section_deletes_its_pages(local_actor, followers, make_call, make_asset):
    """Ensures that a restriction on an index page deletes the calls below it (and only them)."""
    call = make_call()
    asset = make_asset()
    PageViewRestriction.objects.create(
        page=call.get_parent(), restriction_type="password", password="x"
    )
    deletes = OutboxActivity.objects.filter(activity_type="Delete")
    assert list(deletes.values_list("object_uri", flat=True)) == [local_actor.object_url(call.uuid)]
    assert local_actor.object_url(asset.uuid) not in deletes.values_list("object_uri", flat=True)


def test_removing_the_restriction_creates_again(local_actor, followers, make_call):
    """Ensures that lifting the restriction of a live call federates it again (Create)."""
    call = make_call()
    restriction = PageViewRestriction.objects.create(page=call, restriction_type="login")
    restriction.delete()
    assert types_sent() == ["Create", "Delete", "Create"]
    assert len(inboxes(OutboxActivity.objects.latest("pk"))) == 3


def test_published_while_private_then_opened_is_created(
    local_actor, followers, make_call, call_index
):
    """Ensures that a call published inside a private section leaves nothing, and is created
    when the section's restriction goes."""
    restriction = PageViewRestriction.objects.create(page=call_index, restriction_type="login")
    make_call()
    assert types_sent() == []
    restriction.delete()
    assert types_sent() == ["Create"]


def test_changing_a_restriction_sends_nothing_more(local_actor, followers, make_call):
    """Ensures that editing a restriction of an already withdrawn page sends no second Delete."""
    call = make_call()
    restriction = PageViewRestriction.objects.create(page=call, restriction_type="login")
    restriction.restriction_type = "password"
    restriction.password = "x"
    restriction.save()
    assert types_sent() == ["Create", "Delete"]


def test_moving_into_a_private_section_deletes(local_actor, followers, make_call, home):
    """Ensures that moving a federated call under a private section sends Delete, and moving
    it back out creates it again."""
    from interlink_blocks.models import CallIndexPage

    call = make_call()
    private = home.add_child(instance=CallIndexPage(title="Internal calls", slug="internal"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    public_parent = call.get_parent()
    call.move(private, pos="last-child")
    assert types_sent() == ["Create", "Delete"]
    call.refresh_from_db()
    public_parent.refresh_from_db()
    call.move(public_parent, pos="last-child")
    assert types_sent() == ["Create", "Delete", "Create"]


def test_moving_to_another_site_deletes_there_and_creates_here(
    local_actor, followers, make_call, home
):
    """Ensures that a federated call moved into another Wagtail Site's tree is deleted by the
    actor of the site it left and created by the actor of the site it joined."""
    from wagtail.models import Site

    from interlink_blocks.models import CallIndexPage, MunicipalityHomePage
    from interlink_federation.actors import get_local_actor

    call = make_call()
    other_home = home.get_parent().add_child(
        instance=MunicipalityHomePage(title="Second town", slug="two")
    )
    other_calls = other_home.add_child(instance=CallIndexPage(title="Calls", slug="calls"))
    other_site = Site.objects.create(hostname="second.test", port=80, root_page=other_home)
    call.move(other_calls, pos="last-child")

    deleted, created = OutboxActivity.objects.order_by("pk")[1:3]
    other_actor = get_local_actor(other_site)
    assert (deleted.activity_type, deleted.local_actor_id) == ("Delete", local_actor.pk)
    assert deleted.object_uri == local_actor.object_url(call.uuid)
    assert inboxes(deleted) == inboxes(OutboxActivity.objects.order_by("pk")[0])
    assert (created.activity_type, created.local_actor_id) == ("Create", other_actor.pk)
    assert created.object_uri == other_actor.object_url(call.uuid)
    assert types_sent() == ["Create", "Delete", "Create"]


def test_deleting_a_restricted_section_sends_no_create(local_actor, followers, make_call):
    """Ensures that deleting a private section (its restriction goes with it) does not
    federate its pages again."""
    call = make_call()
    section = call.get_parent()
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    section.delete()
    assert types_sent() == ["Create", "Delete"]
