"""Notifications to a call's contact: one mail per event, or a digest."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from .conftest import contribution_form, link_in_mail

pytestmark = pytest.mark.django_db


def contribute_and_confirm(client, call, email):
    client.post(reverse("participation:contribute", args=[call.pk]), contribution_form(email=email))
    client.post(link_in_mail(email, "/participation/confirm/"))


def test_immediate_notifications(client, open_call):
    """Ensures that, by default, the contact gets one mail per confirmed contribution and
    none for unconfirmed ones."""
    client.post(reverse("participation:contribute", args=[open_call.pk]), contribution_form())
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
