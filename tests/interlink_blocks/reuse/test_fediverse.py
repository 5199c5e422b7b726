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
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def note(call, **overrides):
    values = {
        "id": "http://127.0.0.1:9/users/maria/statuses/1",
        "type": "Note",
        "attributedTo": ACTOR,
        "to": [PUBLIC],
        "cc": [f"{ACTOR}/followers"],
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


def test_deleted_reply_keeps_the_replies_of_others(make_call, client):
    """Ensures that when an author deletes a reply others answered, its text and author go
    but the answers keep their place under a withdrawn placeholder."""
    call = make_call()
    first = receive_reply(note(call), actor_url=ACTOR, actor_name="Maria")
    answer = receive_reply(
        note(
            call,
            id="http://127.0.0.1:9/users/ana/statuses/2",
            attributedTo="http://127.0.0.1:9/users/ana",
            inReplyTo=first.remote_object_id,
            content="<p>Evenings would help me too.</p>",
        ),
        actor_url="http://127.0.0.1:9/users/ana",
        actor_name="Ana",
    )
    set_state(first, "approved")
    set_state(answer, "approved")
    assert receive_delete(first.remote_object_id, actor_url=ACTOR)
    first.refresh_from_db()
    assert first.state == "withdrawn" and first.body == "" and first.author_name == ""
    html = client.get(call.url).content.decode()
    assert "Please add evening" not in html and "Maria" not in html
    assert "Evenings would help me too." in html


def test_plain_text():
    """Ensures that remote HTML becomes plain text without markup or leading mentions."""
    assert plain_text("<p>@city@example.org Hello &amp; <i>welcome</i></p><p>Bye</p>") == (
        "Hello & welcome\nBye"
    )


@pytest.mark.parametrize(
    "addressing",
    [
        {"to": [f"{ACTOR}/followers"], "cc": ["http://localhost/ap/actor"]},  # followers-only
        {"to": ["http://localhost/ap/actor"]},  # direct
        {},  # addressed to nobody
    ],
)
def test_private_reply_is_refused(make_call, mailoutbox, addressing):
    """Ensures that a followers-only or direct reply never becomes a (later public) comment,
    and moderators are not told about it."""
    from interlink_blocks.participation.models import NotificationEvent

    call = make_call(contact_email="moderator@example.org")
    values = {key: value for key, value in note(call).items() if key not in ("to", "cc")}
    with pytest.raises(ReplyRefused, match="not public"):
        receive_reply({**values, **addressing}, actor_url=ACTOR)
    assert not Contribution.objects.exists()
    assert mailoutbox == [] and not NotificationEvent.objects.exists()


def test_unlisted_reply_is_accepted(make_call):
    """Ensures that an unlisted reply (as:Public in cc) is accepted like a public one."""
    call = make_call()
    unlisted = note(call, to=[f"{ACTOR}/followers"], cc=["as:Public"])
    assert receive_reply(unlisted, actor_url=ACTOR).state == "pending"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:9/ap/objects/{uuid}",  # our UUID on someone else's host
        "http://127.0.0.1:9/anything/{uuid}",
        "http://localhost/elsewhere/{uuid}",  # our host, not a form we publish
    ],
)
def test_reply_must_name_our_own_url(make_call, target):
    """Ensures that only our own object id or page URL names our call, not any URL that
    ends in its UUID."""
    call = make_call()
    with pytest.raises(ReplyRefused, match="does not answer"):
        receive_reply(note(call, inReplyTo=target.format(uuid=call.uuid)), actor_url=ACTOR)
    assert not receive_like(target.format(uuid=call.uuid), actor_url=ACTOR)
    assert not Contribution.objects.exists() and not Support.objects.exists()


def test_reply_to_a_local_contribution_nests(make_call):
    """Ensures that a reply to a local contribution, named as our replies collection names it
    (``<call URL>#contribution-<pk>``), hangs under it; another call's contribution does not."""
    call, other = make_call(), make_call(title="Another call")
    local = Contribution.objects.create(call=call, body="Open on Saturdays", author_name="Ana")
    reply = receive_reply(note(call, inReplyTo=f"{call.full_url}#contribution-{local.pk}"),
                          actor_url=ACTOR)  # fmt: skip
    assert reply.call_id == call.pk and reply.parent_id == local.pk
    with pytest.raises(ReplyRefused, match="does not answer"):
        receive_reply(note(other, id=f"{ACTOR}/statuses/8",
                           inReplyTo=f"{other.full_url}#contribution-{local.pk}"), actor_url=ACTOR)  # fmt: skip


def test_like_counts_only_for_live_public_calls(make_call):
    """Ensures that Likes (and replies) of a draft or a private call count for nothing."""
    from wagtail.models import PageViewRestriction

    draft = make_call(publish=False)
    object_id = f"http://localhost/ap/objects/{draft.uuid}"
    assert not receive_like(object_id, actor_url=ACTOR)
    with pytest.raises(ReplyRefused, match="not published"):
        receive_reply(note(draft), actor_url=ACTOR)
    private = make_call(title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert not receive_like(f"http://localhost/ap/objects/{private.uuid}", actor_url=ACTOR)
    assert not Support.objects.exists() and not Contribution.objects.exists()
