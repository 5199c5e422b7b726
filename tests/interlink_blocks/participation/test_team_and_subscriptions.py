"""Joining the co-production team, and following a call's updates by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from interlink_blocks.participation.models import Subscription, TeamRequest, TeamRequestState

from .conftest import link_in_mail

pytestmark = pytest.mark.django_db


def join(client, call, **overrides):
    data = {
        "role": "researcher",
        "motivation": "I study home care in our region.",
        "name": "Dr. Ines Vidal",
        "list_publicly": "on",
        "email": "ines@example.org",
        "website": "",
    }
    data.update(overrides)
    return client.post(reverse("participation:join", args=[call.pk]), data)


def test_team_request_confirmed_accepted_and_listed_with_consent(staff_client, open_call):
    """Ensures that a team request is confirmed by mail, reaches the call's contact, is
    accepted by staff in bulk and then lists the member (who consented) on the call."""
    anonymous = staff_client.__class__()
    assert join(anonymous, open_call).status_code == 302
    request = TeamRequest.objects.get()
    assert request.state == TeamRequestState.UNCONFIRMED
    anonymous.post(link_in_mail("ines@example.org", "/participation/confirm/"))
    request.refresh_from_db()
    assert request.state == TeamRequestState.PENDING
    assert any(m.to == ["team@example.org"] and "Researcher" in m.body for m in mail.outbox)

    url = reverse("wagtail_bulk_action", args=["interlink_participation", "teamrequest", "accept"])
    staff_client.post(url + f"?id={request.pk}", {})
    request.refresh_from_db()
    assert request.state == TeamRequestState.ACCEPTED
    assert any(m.to == ["ines@example.org"] and "Welcome" in m.body for m in mail.outbox)
    html = anonymous.get(open_call.url).content.decode()
    assert "Co-production team" in html and "Dr. Ines Vidal" in html


def test_members_without_consent_are_not_listed(staff_client, open_call):
    """Ensures that an accepted member who did not agree to be listed stays off the page."""
    client = staff_client.__class__()
    join(client, open_call, list_publicly="", name="Quiet Person", email="q@example.org")
    client.post(link_in_mail("q@example.org", "/participation/confirm/"))
    request = TeamRequest.objects.get()
    url = reverse("wagtail_bulk_action", args=["interlink_participation", "teamrequest", "accept"])
    staff_client.post(url + f"?id={request.pk}", {})
    assert TeamRequest.objects.get().state == TeamRequestState.ACCEPTED
    assert "Quiet Person" not in client.__class__().get(open_call.url).content.decode()


def test_team_request_validates_role_and_listing_name(client, open_call):
    """Ensures that a request without a role, or asking to be listed without a name, is
    refused with linked errors."""
    response = join(client, open_call, role="", name="")
    assert response.status_code == 400
    assert b'href="#id_role_0"' in response.content and b'href="#id_name"' in response.content
    assert not TeamRequest.objects.exists()


def test_subscribe_confirm_receive_updates_and_unsubscribe_in_one_click(client, open_call):
    """Ensures that a confirmed subscriber is told about a phase change, with a
    List-Unsubscribe header whose link unsubscribes in one click."""
    url = reverse("participation:subscribe", args=[open_call.pk])
    client.post(url, {"email": "follow@example.org", "website": ""})
    assert not Subscription.objects.exists()
    client.post(link_in_mail("follow@example.org", "/participation/confirm/"))
    assert Subscription.objects.filter(participant__email="follow@example.org").count() == 1

    mail.outbox.clear()
    open_call.phase = "build"
    open_call.save_revision().publish()
    update = [m for m in mail.outbox if m.to == ["follow@example.org"]]
    assert len(update) == 1 and "Phase: Build" in update[0].body
    header = update[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = header.split("testserver", 1)[1]

    # RFC 8058: the mail client POSTs without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert client.get(path).status_code == 200  # following the link again is harmless


def test_closing_is_announced_once_by_the_digest_command(client, open_call):
    """Ensures that subscribers hear once that a call's deadline has passed."""
    import datetime

    from django.core.management import call_command

    from interlink_blocks.participation.models import Participant

    Subscription.objects.create(
        call=open_call, participant=Participant.objects.for_email("f@example.org")
    )
    open_call.opens_at = datetime.date(2020, 1, 1)
    open_call.deadline = datetime.date(2020, 2, 1)
    open_call.save_revision().publish()
    mail.outbox.clear()
    call_command("send_participation_digest")
    call_command("send_participation_digest")
    closing = [m for m in mail.outbox if m.to == ["f@example.org"]]
    assert len(closing) == 1 and "closed to new contributions" in closing[0].body


def test_signed_in_people_subscribe_without_a_mail(client, open_call, django_user_model):
    """Ensures that a signed-in person subscribes at once, and only once."""
    client.force_login(django_user_model.objects.create_user("s", "s@example.org", "pw"))
    url = reverse("participation:subscribe", args=[open_call.pk])
    assert client.post(url, {}).status_code == 302
    client.post(url, {})
    assert Subscription.objects.filter(participant__user__username="s").count() == 1
    assert not [m for m in mail.outbox if m.to == ["s@example.org"]]
