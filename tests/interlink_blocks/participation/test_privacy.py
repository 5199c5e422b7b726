"""Personal data: self-service download and deletion, staff requests, retention."""

import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interlink_blocks.participation.models import (
    Contribution,
    ContributionState,
    Participant,
    Subscription,
    Support,
)
from interlink_blocks.participation.services import contributions as contribution_service

from .conftest import link_in_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(open_call, approved):
    """Ensures a participant with an approved and a pending contribution, a support and a
    subscription."""
    contribution = approved(body="Published idea", email="maria@example.org")
    participant = contribution.participant
    contribution_service.create_contribution(open_call, "Pending idea", participant=participant)
    Support.objects.create(participant=participant, call=open_call)
    Subscription.objects.create(participant=participant, call=open_call)
    return participant


def request_link(client, email="maria@example.org"):
    response = client.post(reverse("participation:data_request"), {"email": email, "website": ""})
    assert response.status_code == 200
    return response


def test_self_service_download(client, person):
    """Ensures that a person gets a mailed link and downloads everything stored about them."""
    request_link(client)
    page = link_in_mail("maria@example.org", "/participation/my-data/")
    assert client.get(page).status_code == 200
    response = client.get(page + "download/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["participant"]["email"] == "maria@example.org"
    assert {c["text"] for c in data["contributions"]} == {"Published idea", "Pending idea"}
    assert len(data["supports"]) == 1 and len(data["subscriptions"]) == 1


def test_unknown_addresses_get_the_same_answer_and_no_mail(client, person):
    """Ensures that asking for an unknown address reveals nothing and mails nothing."""
    mail.outbox.clear()
    known = request_link(client).content
    unknown = request_link(client, "nobody@example.org").content
    assert b"If we hold data for this address" in known and b"If we hold data" in unknown
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


def test_self_service_deletion_keeps_approved_as_deleted_participant(client, person, open_call):
    """Ensures that deleting one's data removes the person, their supports, subscriptions and
    unpublished contributions, and keeps approved ones signed "deleted participant"."""
    request_link(client)
    page = link_in_mail("maria@example.org", "/participation/my-data/")
    response = client.post(page, {"website": ""})
    assert b"Your data has been deleted" in response.content
    assert not Participant.objects.filter(email="maria@example.org").exists()
    assert not Support.objects.exists() and not Subscription.objects.exists()
    kept = Contribution.objects.get()
    assert kept.body == "Published idea" and kept.author_deleted and kept.author_name == ""
    html = Client().get(open_call.url).content.decode()
    assert "by Deleted participant" in html and "Ana" not in html
    # The link no longer works.
    assert client.get(page).status_code == 400


def test_self_service_deletion_of_everything(client, person):
    """Ensures that a person can ask for their approved contributions to go too."""
    request_link(client)
    page = link_in_mail("maria@example.org", "/participation/my-data/")
    client.post(page, {"delete_approved": "on", "website": ""})
    assert not Contribution.objects.exists()
    assert not Participant.objects.exists()


def test_staff_download_and_delete_on_request(staff_client, person):
    """Ensures that staff download a person's data and delete it from the admin."""
    listing = staff_client.get("/admin/snippets/interlink_participation/participant/")
    download = reverse("participation_admin:download_data", args=[person.pk])
    assert download in listing.content.decode()
    data = json.loads(staff_client.get(download).content)
    assert data["participant"]["email"] == "maria@example.org"
    delete = reverse("participation_admin:delete_data", args=[person.pk])
    assert staff_client.get(delete).status_code == 200
    assert staff_client.post(delete, {}).status_code == 302
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert Contribution.objects.get().author_deleted


def test_staff_data_views_need_permission(client, person, django_user_model):
    """Ensures that an admin user without participant permissions is turned away (Wagtail's
    admin answers PermissionDenied with a redirect to the dashboard)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    download = client.get(reverse("participation_admin:download_data", args=[person.pk]))
    assert download.status_code == 302 and download["Location"] == "/admin/"
    delete = client.post(reverse("participation_admin:delete_data", args=[person.pk]))
    assert delete.status_code == 302 and delete["Location"] == "/admin/"
    assert Participant.objects.filter(pk=person.pk).exists()


def test_prune_applies_the_retention_periods(person, open_call, settings):
    """Ensures that the prune command deletes stale unconfirmed submissions and people
    inactive past the retention period, keeping approved contributions."""
    settings.PARTICIPATION_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=40)
    stranger = Participant.objects.for_email("never@example.org")
    Contribution.objects.create(
        call=open_call, body="Never confirmed", participant=stranger, state="unconfirmed"
    )
    Contribution.objects.filter(body="Never confirmed").update(created_at=long_ago)
    Participant.objects.filter(pk=stranger.pk).update(created_at=long_ago)
    active = Participant.objects.for_email("active@example.org")
    active.confirm()

    call_command("prune_participation_data")
    assert Participant.objects.filter(pk=person.pk).exists()  # still within retention
    assert not Participant.objects.filter(pk=stranger.pk).exists()
    assert not Contribution.objects.filter(body="Never confirmed").exists()

    Participant.objects.filter(pk=person.pk).update(last_active_at=long_ago)
    call_command("prune_participation_data")
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert Participant.objects.filter(pk=active.pk).exists()
    assert Contribution.objects.get(state=ContributionState.APPROVED).author_deleted


def test_expired_data_links_are_refused(client, person, settings):
    """Ensures that a personal-data link past PARTICIPATION_LINK_MAX_AGE_DAYS opens nothing."""
    request_link(client)
    page = link_in_mail("maria@example.org", "/participation/my-data/")
    settings.PARTICIPATION_LINK_MAX_AGE_DAYS = 0
    assert client.get(page + "download/").status_code == 400
    assert client.post(page, {"delete_approved": "on", "website": ""}).status_code == 400
    assert Participant.objects.filter(pk=person.pk).exists()
