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
    response = client.post(
        reverse("interlink_participation:data_request"), {"email": email, "website": ""}
    )
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
    download = reverse("interlink_participation_admin:download_data", args=[person.pk])
    assert download in listing.content.decode()
    data = json.loads(staff_client.get(download).content)
    assert data["participant"]["email"] == "maria@example.org"
    delete = reverse("interlink_participation_admin:delete_data", args=[person.pk])
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
    download = client.get(reverse("interlink_participation_admin:download_data", args=[person.pk]))
    assert download.status_code == 302 and download["Location"] == "/admin/"
    delete = client.post(reverse("interlink_participation_admin:delete_data", args=[person.pk]))
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


def delete_own_data(client, email, **data):
    request_link(client, email)
    client.post(link_in_mail(email, "/participation/my-data/"), {"website": "", **data})


def test_deleting_everything_keeps_other_peoples_replies(client, open_call, approved, received):
    """Ensures that a person deleting their data with their published contributions leaves
    other people's approved replies in place, under a text-less placeholder, and that other
    apps hear that the contribution was withdrawn (and nothing about the replies)."""
    from interlink_blocks.participation import signals

    idea = approved(body="Published idea", email="maria@example.org")
    reply = approved(body="A reply by someone else", email="bob@example.org", parent=idea)
    received.clear()

    delete_own_data(client, "maria@example.org", delete_approved="on")
    assert not Participant.objects.filter(email="maria@example.org").exists()
    reply.refresh_from_db()
    assert reply.state == ContributionState.APPROVED and reply.parent_id == idea.pk
    idea.refresh_from_db()
    assert idea.state == ContributionState.WITHDRAWN
    assert (idea.body, idea.title, idea.participant, idea.author_deleted) == ("", "", None, True)
    assert received == [(signals.contribution_withdrawn, idea.pk)]

    html = Client().get(open_call.url).content.decode()
    assert "This contribution was withdrawn by its author." in html
    assert "A reply by someone else" in html and "Published idea" not in html
    api = Client().get(f"/api/v1/calls/{open_call.pk}/contributions/").json()
    assert [r["body"] for r in api["results"]] == ["A reply by someone else"]


@pytest.mark.parametrize("how", ["admin", "prune"])
def test_deleting_a_person_keeps_replies_to_their_withdrawn_contribution(
    how, staff_client, open_call, approved, settings
):
    """Ensures that deleting a person from the admin, or by pruning, does not take other
    people's replies with the contribution the person had withdrawn."""
    idea = approved(body="Withdrawn later", email="maria@example.org")
    reply = approved(body="Still worth reading", email="bob@example.org", parent=idea)
    contribution_service.withdraw(idea)
    maria = idea.participant

    if how == "admin":
        delete = reverse("interlink_participation_admin:delete_data", args=[maria.pk])
        assert staff_client.post(delete, {}).status_code == 302
    else:
        settings.PARTICIPATION_RETENTION_DAYS = 30
        long_ago = timezone.now() - datetime.timedelta(days=40)
        Participant.objects.filter(pk=maria.pk).update(last_active_at=long_ago)
        call_command("prune_participation_data")

    assert not Participant.objects.filter(pk=maria.pk).exists()
    assert Contribution.objects.get(pk=reply.pk).state == ContributionState.APPROVED
    assert Contribution.objects.get(pk=idea.pk).body == ""
    html = Client().get(open_call.url).content.decode()
    assert "Still worth reading" in html and "Withdrawn later" not in html


def test_notifications_never_hold_the_address_and_go_with_the_person(client, open_call, settings):
    """Ensures that the contact's digest names a team request by the name given to list (or
    by its role alone), never by the address, that a person deleting their data takes their
    waiting notifications with them, and that pruning removes the ones already sent."""
    from interlink_blocks.participation.models import NotificationEvent

    from .conftest import contribution_form

    settings.PARTICIPATION_NOTIFY = "digest"
    client.post(
        reverse("interlink_participation:join", args=[open_call.pk]),
        {"role": "citizen", "motivation": "I care.", "email": "quiet@example.org", "website": ""},
    )
    client.post(link_in_mail("quiet@example.org", "/participation/confirm/"))
    gone = Client()
    gone.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]),
        contribution_form(email="gone@example.org", body="Soon deleted"),
    )
    gone.post(link_in_mail("gone@example.org", "/participation/confirm/"))
    assert NotificationEvent.objects.count() == 2

    delete_own_data(Client(), "gone@example.org")
    assert NotificationEvent.objects.count() == 1
    mail.outbox.clear()
    call_command("send_participation_digest")
    (digest,) = [m for m in mail.outbox if m.to == ["team@example.org"]]
    assert "New request to join the team (Citizen)" in digest.body
    assert "quiet@example.org" not in digest.body and "Soon deleted" not in digest.body

    call_command("prune_participation_data")
    assert not NotificationEvent.objects.exists()


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Ensures mails go through django_tasks_db's queue, and returns "run the worker once"."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes connections between tasks, which would end this test's transaction
    # on PostgreSQL; everything else runs as in production.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run_worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    return run_worker


def mail_results(email):
    from django_tasks_db.models import DBTaskResult

    return [
        r
        for r in DBTaskResult.objects.filter(
            task_path="interlink_blocks.participation.tasks.send_email"
        )
        if email in r.args_kwargs["args"][2]
    ]


def test_prune_deletes_the_mails_kept_by_the_task_queue(client, open_call, database_queue):
    """Ensures that the mails (addresses, texts, links) the database task queue keeps after
    sending them are deleted by the prune command, while mails still to send stay."""
    from .conftest import contribution_form

    client.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]), contribution_form()
    )
    database_queue()
    assert link_in_mail("maria@example.org", "/participation/confirm/")
    (sent,) = mail_results("maria@example.org")
    assert sent.status == "SUCCESSFUL"

    request_link(client)  # queued, not sent yet
    call_command("prune_participation_data")
    remaining = mail_results("maria@example.org")
    assert [r.status for r in remaining] == ["READY"]


def test_deleting_ones_data_deletes_the_mails_kept_for_them(client, person, database_queue):
    """Ensures that deleting one's data also deletes the mails to that address that the
    database task queue kept, without waiting for the prune command."""
    request_link(client)
    database_queue()
    assert mail_results("maria@example.org")
    client.post(link_in_mail("maria@example.org", "/participation/my-data/"), {"website": ""})
    assert not Participant.objects.filter(email="maria@example.org").exists()
    assert mail_results("maria@example.org") == []


def test_prune_applies_to_people_with_an_account(client, open_call, django_user_model, settings):
    """Ensures that the retention period applies to people who took part with an account:
    their participation data goes (approved contributions stay as "deleted participant"),
    their account stays."""
    from .conftest import contribution_form

    settings.PARTICIPATION_RETENTION_DAYS = 30
    user = django_user_model.objects.create_user("lucia", "lucia@example.org", "pw")
    client.force_login(user)
    data = contribution_form(body="Signed-in idea")
    del data["email"]
    client.post(reverse("interlink_participation:contribute", args=[open_call.pk]), data)
    contribution = Contribution.objects.get()
    contribution_service.set_state(contribution, ContributionState.APPROVED)
    Participant.objects.filter(user=user).update(
        last_active_at=timezone.now() - datetime.timedelta(days=40)
    )

    call_command("prune_participation_data")
    assert not Participant.objects.filter(user=user).exists()
    assert django_user_model.objects.filter(pk=user.pk).exists()
    contribution.refresh_from_db()
    assert contribution.author_deleted and contribution.state == ContributionState.APPROVED
