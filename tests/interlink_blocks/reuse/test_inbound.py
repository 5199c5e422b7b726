"""The entry point federation's inbox worker calls for reuse and fediverse participation."""

import pytest

from interlink_blocks.participation.models import Contribution, Support
from interlink_blocks.reuse.inbound import handle_activity
from interlink_blocks.reuse.models import ReuseNotice

ACTOR = "http://127.0.0.1:9/users/maria"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CITY_B = "http://127.0.0.1:9/ap/actor"


def test_reply_like_undo_delete(make_call):
    """Ensures that replies and Likes are consumed, Undo withdraws, and the author's Delete removes."""
    call = make_call()
    object_id = f"http://localhost/ap/objects/{call.uuid}"
    reply = {"id": ACTOR + "/statuses/9", "type": "Note", "inReplyTo": object_id, "to": [PUBLIC],
             "content": "<p>Count me in.</p>"}  # fmt: skip
    assert handle_activity({"type": "Create", "object": reply}, actor_url=ACTOR, actor_name="Maria")
    assert Contribution.objects.get().body == "Count me in."
    assert handle_activity({"type": "Like", "object": object_id}, actor_url=ACTOR)
    assert Support.objects.count() == 1
    undo = {"type": "Undo", "object": {"type": "Like", "object": object_id}}
    assert handle_activity(undo, actor_url=ACTOR)
    assert Support.objects.count() == 0
    assert handle_activity({"type": "Delete", "object": reply["id"]}, actor_url=ACTOR)
    assert not Contribution.objects.exists()
    # Deleting it again (or anything that was never a reply) is left to federation.
    assert not handle_activity({"type": "Delete", "object": reply["id"]}, actor_url=ACTOR)


def test_unrelated_activities_are_left_to_federation(make_call):
    """Ensures that notes about other things and ordinary objects are not consumed."""
    other = {"id": ACTOR + "/statuses/1", "type": "Note", "inReplyTo": "http://127.0.0.1:9/x/1",
             "content": "hi"}  # fmt: skip
    assert not handle_activity({"type": "Create", "object": other}, actor_url=ACTOR)
    article = {"id": "http://127.0.0.1:9/ap/objects/1", "type": "Article", "name": "A call"}
    assert not handle_activity({"type": "Create", "object": article}, actor_url=ACTOR)
    assert not handle_activity("not an activity", actor_url=ACTOR)
    assert not Contribution.objects.exists()


def test_reuse_notice_counts_and_withdraws(make_asset, client):
    """Ensures that another node's object derived from ours is recorded (not consumed) and its Delete uncounts it."""
    page = make_asset()
    copy = {"id": "http://127.0.0.1:9/ap/objects/copy-1", "type": "Article", "url": "http://127.0.0.1:9/a/",
            "interlink:kind": "asset", "prov:wasDerivedFrom": f"http://localhost/ap/objects/{page.uuid}"}  # fmt: skip
    assert not handle_activity({"type": "Create", "object": copy}, actor_url="http://127.0.0.1:9/ap/actor",
                               actor_name="City B")  # fmt: skip
    notice = ReuseNotice.objects.get()
    assert notice.page_id == page.pk and notice.actor_name == "City B"
    assert "Reused by 1 administration" in client.get(page.url).content.decode()
    handle_activity({"type": "Delete", "object": copy["id"]}, actor_url="http://127.0.0.1:9/ap/eve")
    assert "Reused by 1 administration" in client.get(page.url).content.decode()
    handle_activity(
        {"type": "Delete", "object": copy["id"]}, actor_url="http://127.0.0.1:9/ap/actor"
    )
    assert "Reused by" not in client.get(page.url).content.decode()


def test_reply_addressed_on_the_activity_only(make_call):
    """Ensures that a reply whose addressing is only on the Create counts by that addressing:
    public is taken, followers-only is stored by federation and ignored here."""
    call = make_call()
    reply = {"id": ACTOR + "/statuses/3", "type": "Note", "content": "<p>Yes</p>",
             "inReplyTo": f"http://localhost/ap/objects/{call.uuid}"}  # fmt: skip
    private = {"type": "Create", "object": reply, "to": [ACTOR + "/followers"]}
    assert not handle_activity(private, actor_url=ACTOR)
    assert not Contribution.objects.exists()
    assert handle_activity({**private, "cc": [PUBLIC]}, actor_url=ACTOR)
    assert Contribution.objects.get().body == "Yes"


def _copy(page, **overrides):
    values = {
        "id": "http://127.0.0.1:9/ap/objects/copy-2",
        "type": "Article",
        "interlink:kind": "asset",
        "url": "http://127.0.0.1:9/assets/copy/",
        "prov:wasDerivedFrom": f"http://localhost/ap/objects/{page.uuid}",
    }
    values.update(overrides)
    return {"type": "Create", "object": values}


def test_reuse_notice_never_links_a_script(make_asset, client, admin_client):
    """Ensures that a "reused by" notice with a javascript: (or off-host) url keeps no link:
    neither the public page nor the admin shows it as an href."""
    from django.urls import reverse

    page = make_asset()
    handle_activity(_copy(page, url="javascript:alert(document.cookie)"), actor_url=CITY_B,
                    actor_name="City B")  # fmt: skip
    handle_activity(_copy(page, id="http://127.0.0.1:9/ap/objects/copy-3",
                          url="https://evil.example/phish"), actor_url=CITY_B)  # fmt: skip
    assert sorted(ReuseNotice.objects.values_list("copy_url", flat=True)) == ["", ""]
    html = client.get(page.url).content.decode()
    assert "Reused by 1 administration" in html
    assert "javascript:" not in html and "evil.example" not in html
    admin_html = admin_client.get(reverse("interlink_reuse:index")).content.decode()
    assert "javascript:" not in admin_html and "evil.example" not in admin_html


def test_templates_render_only_http_links(make_asset, client):
    """Ensures that even a stored javascript: URL (written before the checks, or by other
    code) never becomes an href on the public page (defence in depth)."""
    page = make_asset()
    ReuseNotice.objects.create(page=page, actor_url=CITY_B, actor_name="City B",
                               copy_object_id="http://127.0.0.1:9/x", copy_url="javascript:alert(1)")  # fmt: skip
    html = client.get(page.url).content.decode()
    assert "City B" in html and "javascript:" not in html


@pytest.mark.parametrize(
    "overrides",
    [
        {"type": "Note", "interlink:kind": None},  # a Mastodon Note naming our page
        {"interlink:kind": "story"},
        {"id": "https://elsewhere.example/ap/objects/copy"},  # the copy is not the sender's
        {"prov:wasDerivedFrom": "http://127.0.0.1:9/ap/objects/{uuid}"},  # our UUID, their host
        {"prov:wasDerivedFrom": {"id": 7}},
    ],
)
def test_only_interlink_copies_of_our_pages_count(make_asset, client, overrides):
    """Ensures that only an Interlink call or asset of the sender, derived from one of our
    own object URLs, counts as a reuse."""
    page = make_asset()
    values = {key: value.format(uuid=page.uuid) if isinstance(value, str) else value
              for key, value in overrides.items()}  # fmt: skip
    activity = _copy(page, **values)
    activity["object"] = {k: v for k, v in activity["object"].items() if v is not None}
    handle_activity(activity, actor_url=CITY_B)
    assert not ReuseNotice.objects.exists()
    assert "Reused by" not in client.get(page.url).content.decode()
