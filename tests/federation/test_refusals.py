"""Refusals are visible and recoverable: a receiver's 4xx other than 401/403/404/410 keeps
its answer, is listed per host in the admin with the activity, and staff who may change
deliveries send those deliveries again after a fix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q

from interlink_federation import delivery
from interlink_federation.models import (
    Delivery,
    DeliveryState,
    HostHealth,
    OutboxActivity,
)

# Longer than the 300 characters kept in last_error: the whole answer must be kept.
ANSWER = "Invalid activity: endTime must be an xsd:dateTime. " + "x" * 600 + " END"


@pytest.fixture
def refused(local_actor, listener, settings):
    """Ensures one delivery the listener refused with 400 and a long answer."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    listener.default = (400, {"Content-Type": "text/plain"}, ANSWER.encode())
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id="http://testserver/ap/activities/1",
        activity_type="Create",
        object_uri="http://testserver/ap/objects/call-with-deadline",
        document={"id": "http://testserver/ap/activities/1", "type": "Create"},
    )
    row = Delivery.objects.create(
        activity=activity, inbox=f"{listener.base}/inbox", host=f"127.0.0.1:{listener.port}"
    )
    delivery.send_claimed(delivery.claim(Q(pk=row.pk)))
    row.refresh_from_db()
    return row


def staff(client, *codenames: str) -> None:
    user = User.objects.create_user("staff", "staff@example.org", "pw")
    group = Group.objects.create(name="Federation staff")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *codenames]),
    )
    user.groups.add(group)
    client.force_login(user)


@pytest.mark.parametrize("status", [401, 403, 404, 410, 503])
def test_other_answers_are_not_kept(local_actor, listener, settings, status):
    """Ensures that only refusals keep their answer (not 401/403/404/410, nor 5xx)."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    settings.FEDERATION_SIGNATURE_FIRST = "cavage"
    HostHealth.objects.create(host=f"127.0.0.1:{listener.port}", signature_scheme="cavage")
    listener.default = (status, {}, b"some answer")
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id="http://testserver/ap/activities/2",
        activity_type="Create",
        document={},
    )
    row = Delivery.objects.create(
        activity=activity, inbox=f"{listener.base}/inbox", host=f"127.0.0.1:{listener.port}"
    )
    delivery.send_claimed(delivery.claim(Q(pk=row.pk)))
    row.refresh_from_db()
    assert row.last_status == status and row.response_body == ""


def test_refusal_keeps_the_whole_answer(refused):
    """Ensures that a 400 fails the delivery and keeps the receiver's whole answer."""
    assert refused.state == DeliveryState.FAILED and refused.last_status == 400
    assert refused.response_body == ANSWER


def test_refusals_are_listed_per_host_with_the_activity(client, refused):
    """Ensures that the servers listing counts the host's refusals and links to them, and
    that page shows the activity, the status and the answer."""
    staff(client, "view_hosthealth", "view_delivery")
    health = HostHealth.objects.get(host=refused.host)
    listing = client.get("/admin/federation/hosts/").content.decode()
    assert f"/admin/federation/hosts/{health.pk}/refused/" in listing
    page = client.get(f"/admin/federation/hosts/{health.pk}/refused/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "http://testserver/ap/objects/call-with-deadline" in text and "Create" in text
    assert "HTTP 400" in text and " END" in text
    # Without the permission to change deliveries there is no button, and POST is refused.
    assert "Send the refused deliveries again" not in text
    client.post(f"/admin/federation/hosts/{health.pk}/refused/")
    refused.refresh_from_db()
    assert refused.state == DeliveryState.FAILED


def test_refusals_are_not_shown_without_permission(client, refused):
    """Ensures that staff who may not view deliveries do not see the answers."""
    staff(client)
    health = HostHealth.objects.get(host=refused.host)
    response = client.get(f"/admin/federation/hosts/{health.pk}/refused/")
    assert response.status_code in (302, 403)
    assert ANSWER not in response.content.decode()


def test_refused_deliveries_are_sent_again_after_a_fix(
    client, refused, listener, django_capture_on_commit_callbacks
):
    """Ensures that staff who may change deliveries send the host's refused deliveries again
    (a fresh try: attempts and failure clock reset), and once the receiver accepts them
    they are delivered and their answer is cleared."""
    staff(client, "view_hosthealth", "view_delivery", "change_delivery")
    health = HostHealth.objects.get(host=refused.host)
    page = client.get(f"/admin/federation/hosts/{health.pk}/refused/").content.decode()
    assert "Send the refused deliveries again" in page
    listener.default = (202, {}, b"")  # the receiver (or our document) was fixed
    hits = len(listener.hits)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/federation/hosts/{health.pk}/refused/")
    assert response.status_code == 302
    refused.refresh_from_db()
    assert refused.state == DeliveryState.DELIVERED
    assert refused.response_body == "" and len(listener.hits) == hits + 1
