"""Fediverse people taking part through the dispatch table: replies, Likes, their Undo and
the author's Delete (federation/dispatch/participation.py)."""

import pytest

from interlink_blocks.participation.models import Contribution, Support
from interlink_federation.dispatch import dispatch
from interlink_federation.dispatch.participation import reply_text
from interlink_federation.models import InboxState

from ..conftest import REMOTE

ACTOR = f"{REMOTE}/users/town"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def note(local_actor, call, **overrides) -> dict:
    values = {
        "id": f"{ACTOR}/statuses/1",
        "type": "Note",
        "attributedTo": ACTOR,
        "to": [PUBLIC],
        "cc": [f"{ACTOR}/followers"],
        "inReplyTo": local_actor.object_url(call.uuid),
        "content": f'<p><span class="h-card"><a href="{local_actor.actor_id}">@city</a></span> '
        "Please add <b>evening</b> slots.</p><p>Thanks!</p><script>steal()</script>",
    }
    values.update(overrides)
    return values


def create(obj: dict, **extra) -> dict:
    return {"id": f"{obj['id']}/activity", "type": "Create", "actor": ACTOR, "object": obj, **extra}


def test_reply_becomes_a_pending_plain_text_comment(local_actor, remote_actor, make_call):
    """Ensures that a public reply to our call becomes a pending comment by the sender, as
    plain text without the leading mention or the script, and the message is processed."""
    call = make_call()
    assert dispatch(create(note(local_actor, call)), remote_actor) == InboxState.PROCESSED
    contribution = Contribution.objects.get()
    assert contribution.call_id == call.pk and contribution.state == "pending"
    assert contribution.body == "Please add evening slots.\nThanks!"
    assert contribution.author_name == "Town of Remote"
    assert contribution.remote_actor_url == ACTOR
    assert contribution.remote_object_id == f"{ACTOR}/statuses/1"


def test_reply_text_from_content_map_without_mentions():
    """Ensures that a reply's text comes from ``contentMap`` when there is no ``content``,
    with entities decoded and the mentions Mastodon puts first removed."""
    reply = {"contentMap": {"es": "<p>@city@example.org @ana Hola &amp; <i>bienvenida</i></p>"}}
    assert reply_text(reply) == "Hola & bienvenida"
    assert reply_text({"content": 7}) == ""


@pytest.mark.parametrize(
    "addressing",
    [
        {"to": [f"{ACTOR}/followers"], "cc": ["http://testserver/ap/actor"]},  # followers-only
        {"to": ["http://testserver/ap/actor"]},  # direct
        {},  # addressed to nobody
    ],
)
def test_private_reply_is_ignored(local_actor, remote_actor, make_call, mailoutbox, addressing):
    """Ensures that a followers-only or direct reply never becomes a (later public) comment,
    moderators are not told, and the message is ignored."""
    from interlink_blocks.participation.models import NotificationEvent

    call = make_call(contact_email="moderator@example.org")
    values = {k: v for k, v in note(local_actor, call).items() if k not in ("to", "cc")}
    state = dispatch(create({**values, **addressing}), remote_actor)
    assert state == InboxState.IGNORED
    assert not Contribution.objects.exists()
    assert mailoutbox == [] and not NotificationEvent.objects.exists()


def test_unlisted_reply_is_taken(local_actor, remote_actor, make_call):
    """Ensures that an unlisted reply (as:Public in cc) is taken like a public one."""
    call = make_call()
    unlisted = note(local_actor, call, to=[f"{ACTOR}/followers"], cc=["as:Public"])
    assert dispatch(create(unlisted), remote_actor) == InboxState.PROCESSED


def test_reply_addressed_on_the_activity_only(local_actor, remote_actor, make_call):
    """Ensures that a reply whose addressing is only on the Create counts by that addressing:
    followers-only is ignored, public is taken."""
    call = make_call()
    values = {k: v for k, v in note(local_actor, call).items() if k not in ("to", "cc")}
    private = create(values, to=[f"{ACTOR}/followers"])
    assert dispatch(private, remote_actor) == InboxState.IGNORED
    assert dispatch({**private, "cc": [PUBLIC]}, remote_actor) == InboxState.PROCESSED
    assert Contribution.objects.get().body == "Please add evening slots.\nThanks!"


def test_other_posts_are_not_comments(local_actor, remote_actor, make_call):
    """Ensures that posts about other things, replies to other servers and replies that are
    empty once sanitised are not taken, and their messages are ignored."""
    call = make_call()
    for obj in (
        note(local_actor, call, inReplyTo=None),
        note(local_actor, call, inReplyTo=f"{REMOTE}/x/1"),
        note(local_actor, call, content="<p><script>x()</script></p>"),
    ):
        assert dispatch(create(obj), remote_actor) == InboxState.IGNORED
    assert not Contribution.objects.exists()


def test_like_undo_and_delete(local_actor, remote_actor, make_call):
    """Ensures that a Like of our call is a support, its Undo withdraws it, and the author's
    Delete of their reply removes the comment; repeating them changes nothing."""
    call = make_call()
    object_id = local_actor.object_url(call.uuid)
    like = {"id": f"{REMOTE}/likes/1", "type": "Like", "actor": ACTOR, "object": object_id}
    assert dispatch(like, remote_actor) == InboxState.PROCESSED
    assert dispatch(like, remote_actor) == InboxState.IGNORED
    assert Support.objects.filter(call=call).count() == 1
    undo = {"id": f"{REMOTE}/likes/1/undo", "type": "Undo", "actor": ACTOR, "object": like}
    assert dispatch(undo, remote_actor) == InboxState.PROCESSED
    assert not Support.objects.exists()
    dispatch(create(note(local_actor, call)), remote_actor)
    delete = {"id": f"{ACTOR}/statuses/1#delete", "type": "Delete", "actor": ACTOR,
              "object": {"id": f"{ACTOR}/statuses/1", "type": "Tombstone"}}  # fmt: skip
    assert dispatch(delete, remote_actor) == InboxState.PROCESSED
    assert not Contribution.objects.exists()
    assert dispatch(delete, remote_actor) == InboxState.IGNORED
