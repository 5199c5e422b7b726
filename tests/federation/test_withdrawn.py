"""Withdrawn objects stop leaving the node: after a Delete (unpublish, privacy, deletion) the
outbox and the activity URLs no longer serve the content of earlier Create/Update."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from interlink_federation import serialisers
from interlink_federation.models import OutboxActivity

TITLE = "Secret renovation of the town hall"
SUMMARY = "Plans nobody outside the council should read yet."


def outbox_pages(client) -> str:
    """Every page of the outbox, as one text."""
    collection = client.get("/ap/outbox").json()
    texts = [str(collection)]
    page = collection.get("first")
    while page:
        document = client.get(page.removeprefix("http://testserver")).json()
        texts.append(str(document))
        page = document.get("next")
    return "\n".join(texts)


def activity_path(activity: OutboxActivity) -> str:
    return f"/ap/activities/{activity.uuid}"


def assert_gone_everywhere(client, activities: list[OutboxActivity]) -> None:
    text = outbox_pages(client)
    assert TITLE not in text and SUMMARY not in text
    for activity in activities:
        response = client.get(activity_path(activity))
        assert response.status_code == 410
        body = response.content.decode()
        assert TITLE not in body and SUMMARY not in body
        assert response.json()["type"] == "Tombstone"
        assert response.json()["formerType"] == serialisers.AS_NAMESPACE + activity.activity_type


@pytest.fixture
def published(local_actor, make_call):
    """Ensures a call published twice (Create, then Update) and both activities served."""
    call = make_call(title=TITLE, summary=SUMMARY)
    call.save_revision().publish()
    sent = list(OutboxActivity.objects.order_by("pk"))
    assert [activity.activity_type for activity in sent] == ["Create", "Update"]
    return call, sent


def test_served_while_public(client, published):
    """Ensures that a public call's activities are served with their content."""
    call, sent = published
    assert TITLE in outbox_pages(client)
    assert client.get(activity_path(sent[0])).json()["object"]["name"] == TITLE


def test_unpublished_content_no_longer_served(client, published):
    """Ensures that after unpublishing, neither the outbox nor the activity URLs carry the
    title or summary; the outbox shows the Delete with its Tombstone."""
    call, sent = published
    call.unpublish()
    assert_gone_everywhere(client, sent)
    items = client.get("/ap/outbox?page=1").json()["orderedItems"]
    assert [item["type"] for item in items] == ["Delete"]
    assert items[0]["object"]["type"] == "Tombstone"
    assert client.get("/ap/outbox").json()["totalItems"] == 1


def test_made_private_content_no_longer_served(client, published):
    """Ensures that after restricting the page (no republish), its content is not served."""
    call, sent = published
    PageViewRestriction.objects.create(page=call, restriction_type="login")
    assert_gone_everywhere(client, sent)


def test_private_section_content_no_longer_served(client, published, call_index):
    """Ensures that restricting an ancestor withdraws the call's content too."""
    _call, sent = published
    PageViewRestriction.objects.create(page=call_index, restriction_type="password", password="x")
    assert_gone_everywhere(client, sent)


def test_deleted_page_content_no_longer_served(client, published):
    """Ensures that after deleting the page, its activities are tombstones."""
    call, sent = published
    call.delete()
    assert_gone_everywhere(client, sent)


def test_not_public_without_a_recorded_delete_still_hidden(client, published):
    """Ensures the views' own check: a page that is no longer live (here unpublished behind
    the signals' back, so no Delete was recorded) is not served either."""
    call, sent = published
    type(call).objects.filter(pk=call.pk).update(live=False)
    assert not OutboxActivity.objects.filter(activity_type="Delete").exists()
    assert_gone_everywhere(client, sent)


def test_republished_after_removal_serves_the_new_create_only(client, published):
    """Ensures that a page published again is served through its new Create, while the
    activities from before its removal stay tombstones."""
    call, sent = published
    call.unpublish()
    call.save_revision().publish()
    items = client.get("/ap/outbox?page=1").json()["orderedItems"]
    assert [item["type"] for item in items] == ["Create", "Delete"]
    assert client.get(activity_path(sent[0])).status_code == 410
    newest = OutboxActivity.objects.filter(activity_type="Create").latest("pk")
    assert client.get(activity_path(newest)).json()["object"]["name"] == TITLE
