"""Fediverse citizens: replies become moderated comments, Likes supports, Deletes removals."""

import pytest

from interlink_blocks.participation.models import Contribution, Support
from interlink_blocks.participation.services.contributions import set_state
from interlink_blocks.reuse.fediverse import (
    ReplyRefused,
    plain_text,
    receive_delete,
    receive_like,
    receive_reply,
    receive_undo_like,
)

ACTOR = "http://127.0.0.1:9/users/maria"


def note(call, **overrides):
    values = {
        "id": "http://127.0.0.1:9/users/maria/statuses/1",
        "type": "Note",
        "attributedTo": ACTOR,
        "inReplyTo": f"http://localhost/ap/objects/{call.uuid}",
        "content": '<p><span class="h-card"><a href="http://localhost/ap/actor">@city</a></span> '
        "Please add <b>evening</b> slots.</p><p>Thanks!</p><script>steal()</script>",
    }
    values.update(overrides)
    return values


def test_reply_lands_in_moderation_then_shows(make_call, client):
    """Ensures that a reply becomes a pending, sanitised comment attributed to the account, shown once approved."""
    call = make_call()
    contribution = receive_reply(
        note(call), actor_url=ACTOR, actor_name="Maria (@maria@127.0.0.1:9)"
    )
    assert contribution.state == "pending" and contribution.kind == "comment"
    assert contribution.source == "fediverse" and contribution.remote_actor_url == ACTOR
    assert contribution.body == "Please add evening slots.\nThanks!"
    assert "Please add evening" not in client.get(call.url).content.decode()
    set_state(contribution, "approved")
    html = client.get(call.url).content.decode()
    assert "Please add evening slots." in html and "Maria (@maria@127.0.0.1:9)" in html
    assert "steal()" not in html
    # Redelivery does not duplicate it.
    assert receive_reply(note(call), actor_url=ACTOR).pk == contribution.pk
    assert Contribution.objects.count() == 1


def test_reply_to_call_page_url_and_to_a_reply(make_call):
    """Ensures that replies to the call's page URL work and replies to replies nest one level."""
    call = make_call()
    first = receive_reply(note(call, inReplyTo=call.full_url), actor_url=ACTOR)
    assert first.call_id == call.pk and first.parent_id is None
    second = receive_reply(
        note(call, id="http://127.0.0.1:9/users/ana/statuses/2", inReplyTo=first.remote_object_id),
        actor_url="http://127.0.0.1:9/users/ana",
    )
    assert second.parent_id == first.pk


@pytest.mark.parametrize(
    ("target", "fields", "message"),
    [
        ("http://127.0.0.1:9/elsewhere/1", {}, "does not answer one of our calls"),
        (None, {"content": "<p><script>x</script></p>"}, "empty"),
    ],
)
def test_replies_refused(make_call, target, fields, message):
    """Ensures that replies to something else, or empty after sanitising, are refused clearly."""
    call = make_call()
    values = note(call, **fields)
    if target:
        values["inReplyTo"] = target
    with pytest.raises(ReplyRefused, match=message):
        receive_reply(values, actor_url=ACTOR)
    assert not Contribution.objects.exists()


def test_closed_call_refuses_replies(make_call):
    """Ensures that a call that no longer accepts contributions refuses replies."""
    call = make_call(status="closed")
    with pytest.raises(ReplyRefused, match="does not accept"):
        receive_reply(note(call), actor_url=ACTOR)


def test_like_counts_once_and_undo(make_call):
    """Ensures that Likes count as one support per remote account, and Undo withdraws it."""
    call = make_call()
    object_id = f"http://localhost/ap/objects/{call.uuid}"
    assert receive_like(object_id, actor_url=ACTOR, actor_name="Maria")
    assert not receive_like(object_id, actor_url=ACTOR, actor_name="Maria")
    assert receive_like(object_id, actor_url="http://127.0.0.1:9/users/ana")
    assert Support.objects.filter(call=call).count() == 2
    assert receive_undo_like(object_id, actor_url=ACTOR)
    assert Support.objects.filter(call=call).count() == 1
    assert not receive_like("http://localhost/ap/objects/not-a-uuid", actor_url=ACTOR)


def test_delete_by_author_only(make_call, client):
    """Ensures that only the author's Delete removes their reply, including from the page."""
    call = make_call()
    contribution = receive_reply(note(call), actor_url=ACTOR)
    set_state(contribution, "approved")
    assert not receive_delete(
        contribution.remote_object_id, actor_url="http://127.0.0.1:9/users/eve"
    )
    assert Contribution.objects.filter(pk=contribution.pk).exists()
    assert receive_delete(contribution.remote_object_id, actor_url=ACTOR)
    assert not Contribution.objects.filter(pk=contribution.pk).exists()
    assert "Please add evening" not in client.get(call.url).content.decode()


def test_plain_text():
    """Ensures that remote HTML becomes plain text without markup or leading mentions."""
    assert plain_text("<p>@city@example.org Hello &amp; <i>welcome</i></p><p>Bye</p>") == (
        "Hello & welcome\nBye"
    )
