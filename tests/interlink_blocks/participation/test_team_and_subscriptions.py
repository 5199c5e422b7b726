"""Joining the co-production team, and following a call's updates by e-mail."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from interlink_blocks.participation.models import (
    Participant,
    Subscription,
    TeamRequest,
    TeamRequestState,
)

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
    return client.post(reverse("interlink_participation:join", args=[call.pk]), data)


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
    url = reverse("interlink_participation:subscribe", args=[open_call.pk])
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

    from interlink_blocks.models import CallPage

    Subscription.objects.create(
        call=open_call, participant=Participant.objects.for_email("f@example.org")
    )
    # Time passes: the deadline goes by without anyone publishing the call.
    CallPage.objects.filter(pk=open_call.pk).update(
        opens_at=datetime.date(2020, 1, 1), deadline=datetime.date(2020, 2, 1)
    )
    mail.outbox.clear()
    call_command("send_participation_digest")
    call_command("send_participation_digest")
    closing = [m for m in mail.outbox if m.to == ["f@example.org"]]
    assert len(closing) == 1 and "closed to new contributions" in closing[0].body


def test_signed_in_people_subscribe_without_a_mail(client, open_call, django_user_model):
    """Ensures that a signed-in person subscribes at once, and only once."""
    client.force_login(django_user_model.objects.create_user("s", "s@example.org", "pw"))
    url = reverse("interlink_participation:subscribe", args=[open_call.pk])
    assert client.post(url, {}).status_code == 302
    client.post(url, {})
    assert Subscription.objects.filter(participant__user__username="s").count() == 1
    assert not [m for m in mail.outbox if m.to == ["s@example.org"]]


CONFIRM = "/participation/confirm/"
BULK_ACCEPT = ("interlink_participation", "teamrequest", "accept")


def accepted_member(staff_client, call):
    """Ensures Dr. Ines Vidal's request is confirmed by mail and accepted by staff."""
    member = Client()
    join(member, call)
    member.post(link_in_mail("ines@example.org", CONFIRM))
    team_request = TeamRequest.objects.get(participant__email="ines@example.org")
    staff_client.post(reverse("wagtail_bulk_action", args=BULK_ACCEPT) + f"?id={team_request.pk}")
    team_request.refresh_from_db()
    assert team_request.state == TeamRequestState.ACCEPTED
    return team_request


def as_sent(team_request):
    team_request.refresh_from_db()
    return (
        team_request.state,
        team_request.role,
        team_request.motivation,
        team_request.name,
        team_request.list_publicly,
    )


def test_a_typed_address_cannot_take_over_a_decided_team_request(staff_client, open_call):
    """Ensures that a stranger sending the join form with a member's address changes neither
    the accepted, listed request nor the member's name, and that following the mailed link
    reopens nothing either: a decided request stays as staff decided it."""
    team_request = accepted_member(staff_client, open_call)
    before = as_sent(team_request)
    mail.outbox.clear()

    stranger = Client()
    response = join(
        stranger, open_call, role="business", motivation="Buy my product", name="Spam Corp"
    )
    assert response.status_code == 302
    assert as_sent(team_request) == before
    assert Participant.objects.get(email="ines@example.org").display_name == "Dr. Ines Vidal"
    html = Client().get(open_call.url).content.decode()
    assert "Dr. Ines Vidal" in html and "Spam Corp" not in html

    answer = stranger.post(link_in_mail("ines@example.org", CONFIRM), follow=True)
    assert b"already answered your request" in answer.content
    assert as_sent(team_request) == before
    assert TeamRequest.objects.filter(participant__email="ines@example.org").count() == 1


def test_changes_to_a_pending_team_request_wait_for_the_mailed_link(client, open_call):
    """Ensures that a new request for an address whose request awaits a decision changes
    nothing until its mailed link is confirmed, and then updates that one request."""
    join(client, open_call)
    client.post(link_in_mail("ines@example.org", CONFIRM))
    team_request = TeamRequest.objects.get()
    before = as_sent(team_request)
    assert before[0] == TeamRequestState.PENDING

    mail.outbox.clear()
    other = Client()
    join(other, open_call, role="civil_servant", motivation="Now at the city", name="Ines V.")
    assert as_sent(team_request) == before
    assert Participant.objects.get(email="ines@example.org").display_name == "Dr. Ines Vidal"

    other.post(link_in_mail("ines@example.org", CONFIRM))
    assert as_sent(team_request) == (
        TeamRequestState.PENDING,
        "civil_servant",
        "Now at the city",
        "Ines V.",
        True,
    )
    assert TeamRequest.objects.count() == 1
    assert Participant.objects.get(email="ines@example.org").display_name == "Ines V."


def test_declining_in_the_edit_view_dates_and_mails_the_decision(staff_client, open_call):
    """Ensures that staff declining a request from its edit view go through the same decision
    as the bulk action (decision date, mail to the person), and that a request its author
    has not confirmed can be decided neither there nor in bulk."""
    person = Client()
    join(person, open_call)
    team_request = TeamRequest.objects.get()
    edit = reverse(
        "wagtailsnippets_interlink_participation_teamrequest:edit", args=[team_request.pk]
    )

    refused = staff_client.post(edit, {"state": "accepted"})
    assert refused.status_code == 200 and b"not confirmed this request" in refused.content
    bulk = staff_client.post(
        reverse("wagtail_bulk_action", args=BULK_ACCEPT)
        + f"?id={team_request.pk}&next=/admin/snippets/interlink_participation/teamrequest/",
        follow=True,
    )
    assert b"1 request was skipped: the person has not confirmed it by e-mail yet." in (
        bulk.content
    )
    assert as_sent(team_request)[0] == TeamRequestState.UNCONFIRMED

    person.post(link_in_mail("ines@example.org", CONFIRM))
    mail.outbox.clear()
    assert staff_client.post(edit, {"state": "declined"}).status_code == 302
    team_request.refresh_from_db()
    assert team_request.state == TeamRequestState.DECLINED
    assert team_request.decided_at is not None
    decision = [m for m in mail.outbox if m.to == ["ines@example.org"]]
    assert len(decision) == 1 and "could not accept your request" in decision[0].body


def test_closing_a_call_by_its_status_sends_one_mail(open_call):
    """Ensures that subscribers of a call closed by its status get one mail saying so (the
    publish tells them; the digest command does not repeat it), and hear again when the
    call, reopened, closes once more."""
    from django.core.management import call_command

    Subscription.objects.create(
        call=open_call, participant=Participant.objects.for_email("f@example.org")
    )

    def close_and_count():
        mail.outbox.clear()
        open_call.status = "closed"
        open_call.save_revision().publish()
        call_command("send_participation_digest")
        return [m for m in mail.outbox if m.to == ["f@example.org"]]

    closing = close_and_count()
    assert len(closing) == 1
    assert "Status: Closed" in closing[0].body
    assert "closed to new contributions" in closing[0].body

    open_call.status = "open"
    open_call.save_revision().publish()
    again = close_and_count()
    assert len(again) == 1 and "closed to new contributions" in again[0].body
