"""People with accounts elsewhere: comments go to moderation, supports count once, the
author's deletion removes. (How a fediverse activity becomes these calls is federation's:
tests/federation/dispatch/test_participation.py.)"""

import pytest

from interlink_blocks.participation.models import Contribution, Support
from interlink_blocks.participation.services.contributions import set_state
from interlink_blocks.reuse.remote_accounts import (
    CommentRefused,
    RemoteAuthor,
    remote_comment,
    remote_comment_deleted,
    remote_support,
    withdraw_remote_support,
)

MARIA = RemoteAuthor("http://127.0.0.1:9/users/maria", "Maria (@maria@127.0.0.1:9)")
ANA = RemoteAuthor("http://127.0.0.1:9/users/ana", "Ana")
NOTE_ID = "http://127.0.0.1:9/users/maria/statuses/1"


def object_id(call) -> str:
    return f"http://localhost/ap/objects/{call.uuid}"


def comment(call, text="Please add evening slots.", author=MARIA, object_id_=NOTE_ID, **kwargs):
    reference = kwargs.pop("reference", None) or object_id(call)
    return remote_comment(reference, text, author=author, object_id=object_id_)


def test_comment_lands_in_moderation_then_shows(make_call, client):
    """Ensures that a remote comment becomes a pending comment attributed to the account,
    shown once approved, and that taking it again changes nothing."""
    call = make_call()
    contribution = comment(call, "Please add evening slots.\nThanks!")
    assert contribution.state == "pending" and contribution.kind == "comment"
    assert contribution.source == "fediverse" and contribution.remote_actor_url == MARIA.url
    assert contribution.body == "Please add evening slots.\nThanks!"
    assert "Please add evening" not in client.get(call.url).content.decode()
    set_state(contribution, "approved")
    html = client.get(call.url).content.decode()
    assert "Please add evening slots." in html and "Maria (@maria@127.0.0.1:9)" in html
    assert comment(call).pk == contribution.pk
    assert Contribution.objects.count() == 1


def test_comment_on_call_page_url_and_on_a_comment(make_call):
    """Ensures that comments naming the call's page URL count, and answers nest one level."""
    call = make_call()
    first = comment(call, reference=call.full_url)
    assert first.call_id == call.pk and first.parent_id is None
    second = comment(call, author=ANA, object_id_="http://127.0.0.1:9/users/ana/statuses/2",
                     reference=first.remote_object_id)  # fmt: skip
    assert second.parent_id == first.pk
    third = comment(call, author=MARIA, object_id_="http://127.0.0.1:9/users/maria/statuses/3",
                    reference=second.remote_object_id)  # fmt: skip
    assert third.parent_id == first.pk


@pytest.mark.parametrize(
    ("reference", "text", "message"),
    [
        ("http://127.0.0.1:9/elsewhere/1", "Hi", "does not answer one of our calls"),
        (None, "   ", "empty"),
    ],
)
def test_comments_refused(make_call, reference, text, message):
    """Ensures that comments on something else, or empty ones, are refused clearly."""
    call = make_call()
    with pytest.raises(CommentRefused, match=message):
        comment(call, text, reference=reference)
    assert not Contribution.objects.exists()


def test_closed_call_refuses_comments(make_call):
    """Ensures that a call that no longer accepts contributions refuses remote comments."""
    call = make_call(status="closed")
    with pytest.raises(CommentRefused, match="does not accept"):
        comment(call)


def test_long_comment_is_shortened(make_call, settings):
    """Ensures that a comment longer than the contribution limit is cut, not refused."""
    settings.PARTICIPATION_MAX_BODY_LENGTH = 20
    contribution = comment(make_call(), "x" * 50)
    assert contribution.body == "x" * 19 + "…"


def test_support_counts_once_and_withdraws(make_call):
    """Ensures that supports count once per remote account, and can be withdrawn."""
    call = make_call()
    assert remote_support(object_id(call), author=MARIA)
    assert not remote_support(object_id(call), author=MARIA)
    assert remote_support(object_id(call), author=ANA)
    assert Support.objects.filter(call=call).count() == 2
    assert withdraw_remote_support(object_id(call), actor_url=MARIA.url)
    assert Support.objects.filter(call=call).count() == 1
    assert not remote_support("http://localhost/ap/objects/not-a-uuid", author=MARIA)


def test_deletion_by_author_only(make_call, client):
    """Ensures that only the author's deletion removes their comment, including from the page."""
    call = make_call()
    contribution = comment(call)
    set_state(contribution, "approved")
    assert not remote_comment_deleted(NOTE_ID, actor_url="http://127.0.0.1:9/users/eve")
    assert Contribution.objects.filter(pk=contribution.pk).exists()
    assert remote_comment_deleted(NOTE_ID, actor_url=MARIA.url)
    assert not Contribution.objects.filter(pk=contribution.pk).exists()
    assert "Please add evening" not in client.get(call.url).content.decode()
    assert not remote_comment_deleted("", actor_url=MARIA.url)


def test_deleted_comment_keeps_the_answers_of_others(make_call, client):
    """Ensures that when an author deletes a comment others answered, its text and author go
    but the answers keep their place under a withdrawn placeholder."""
    call = make_call()
    first = comment(call)
    answer = comment(call, "Evenings would help me too.", author=ANA,
                     object_id_="http://127.0.0.1:9/users/ana/statuses/2", reference=NOTE_ID)  # fmt: skip
    set_state(first, "approved")
    set_state(answer, "approved")
    assert remote_comment_deleted(NOTE_ID, actor_url=MARIA.url)
    first.refresh_from_db()
    assert first.state == "withdrawn" and first.body == "" and first.author_name == ""
    html = client.get(call.url).content.decode()
    assert "Please add evening" not in html and "Maria" not in html
    assert "Evenings would help me too." in html


@pytest.mark.parametrize(
    "reference",
    [
        "http://127.0.0.1:9/ap/objects/{uuid}",  # our UUID on someone else's host
        "http://127.0.0.1:9/anything/{uuid}",
        "http://localhost/elsewhere/{uuid}",  # our host, not a form we publish
    ],
)
def test_reference_must_be_our_own_url(make_call, reference):
    """Ensures that only our own object id or page URL names our call, not any URL that
    ends in its UUID."""
    call = make_call()
    with pytest.raises(CommentRefused, match="does not answer"):
        comment(call, reference=reference.format(uuid=call.uuid))
    assert not remote_support(reference.format(uuid=call.uuid), author=MARIA)
    assert not Contribution.objects.exists() and not Support.objects.exists()


def test_comment_on_a_local_contribution_nests(make_call):
    """Ensures that a comment on a local contribution, named by its anchor on our call page
    (``<call URL>#contribution-<pk>``), hangs under it; another call's anchor does not."""
    call, other = make_call(), make_call(title="Another call")
    local = Contribution.objects.create(call=call, body="Open on Saturdays", author_name="Ana")
    answer = comment(call, reference=f"{call.full_url}#contribution-{local.pk}")
    assert answer.call_id == call.pk and answer.parent_id == local.pk
    with pytest.raises(CommentRefused, match="does not answer"):
        comment(other, object_id_=f"{MARIA.url}/statuses/8",
                reference=f"{other.full_url}#contribution-{local.pk}")  # fmt: skip


def test_support_counts_only_for_live_public_calls(make_call):
    """Ensures that supports (and comments) of a draft or a private call count for nothing."""
    from wagtail.models import PageViewRestriction

    draft = make_call(publish=False)
    assert not remote_support(object_id(draft), author=MARIA)
    with pytest.raises(CommentRefused, match="not published"):
        comment(draft)
    private = make_call(title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert not remote_support(object_id(private), author=MARIA)
    assert not Support.objects.exists() and not Contribution.objects.exists()
