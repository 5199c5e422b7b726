"""Notifications to a call's contact: one mail per event, or a digest."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from .conftest import contribution_form, link_in_mail

pytestmark = pytest.mark.django_db


def contribute_and_confirm(client, call, email):
    client.post(
        reverse("interlink_participation:contribute", args=[call.pk]),
        contribution_form(email=email),
    )
    client.post(link_in_mail(email, "/participation/confirm/"))


def test_immediate_notifications(client, open_call):
    """Ensures that, by default, the contact gets one mail per confirmed contribution and
    none for unconfirmed ones."""
    client.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]), contribution_form()
    )
    assert not [m for m in mail.outbox if m.to == ["team@example.org"]]
    client.post(link_in_mail("maria@example.org", "/participation/confirm/"))
    notices = [m for m in mail.outbox if m.to == ["team@example.org"]]
    assert len(notices) == 1 and "awaiting moderation" in notices[0].body


def test_digest_collects_until_the_command_sends(client, open_call, settings):
    """Ensures that in digest mode events are held and sent together by the command."""
    settings.PARTICIPATION_NOTIFY = "digest"
    contribute_and_confirm(client, open_call, "a@example.org")
    contribute_and_confirm(client.__class__(), open_call, "b@example.org")
    assert not [m for m in mail.outbox if m.to == ["team@example.org"]]
    call_command("send_participation_digest")
    digests = [m for m in mail.outbox if m.to == ["team@example.org"]]
    assert len(digests) == 1
    assert "2 new participations" in digests[0].subject
    assert digests[0].body.count("awaiting moderation") == 2
    call_command("send_participation_digest")
    assert len([m for m in mail.outbox if m.to == ["team@example.org"]]) == 1


def test_notifications_off(client, open_call, settings):
    """Ensures that PARTICIPATION_NOTIFY = "off" mails the contact nothing."""
    settings.PARTICIPATION_NOTIFY = "off"
    contribute_and_confirm(client, open_call, "a@example.org")
    assert not [m for m in mail.outbox if m.to == ["team@example.org"]]


def test_team_requests_arrive_in_the_digest(client, open_call, settings):
    """Ensures that in digest mode a confirmed team request waits for the command and arrives
    in the contact's digest with the contributions, with the name to list and a link to the
    request in the admin, but never the person's address."""
    from django.test import Client

    from interlink_blocks.participation.models import TeamRequest

    settings.PARTICIPATION_NOTIFY = "digest"
    client.post(
        reverse("interlink_participation:join", args=[open_call.pk]),
        {
            "role": "researcher",
            "motivation": "I study home care.",
            "name": "Dr. Ines Vidal",
            "email": "ines@example.org",
            "website": "",
        },
    )
    client.post(link_in_mail("ines@example.org", "/participation/confirm/"))
    contribute_and_confirm(Client(), open_call, "a@example.org")
    assert not [m for m in mail.outbox if m.to == ["team@example.org"]]

    call_command("send_participation_digest")
    digests = [m for m in mail.outbox if m.to == ["team@example.org"]]
    assert len(digests) == 1 and "2 new participations" in digests[0].subject
    body = digests[0].body
    assert "New request to join the team (Researcher): Dr. Ines Vidal" in body
    edit = reverse(
        "wagtailsnippets_interlink_participation_teamrequest:edit",
        args=[TeamRequest.objects.get().pk],
    )
    assert f"http://testserver{edit}" in body
    assert "awaiting moderation" in body
    assert "ines@example.org" not in body
