"""A signed-in person's own data: download, delete; retention of accounts."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from interlink_blocks.participation.models import Contribution, ContributionState, Participant
from interlink_blocks.participation.services import contributions as contribution_service
from tests.support.accounts import sign_in_by_code


def test_download_covers_the_account_and_participation(client, open_call):
    """Ensures that the download lists the account and what the person did."""
    sign_in_by_code(client, "ana@example.org")
    client.post(
        reverse("interlink_participation:contribute", args=[open_call.pk]),
        {"kind": "idea", "body": "Phone requests please"},
    )
    response = client.get(reverse("interlink_accounts:download"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["account"]["addresses"][0]["email"] == "ana@example.org"
    assert data["account"]["has_password"] is False
    assert data["contributions"][0]["text"] == "Phone requests please"


def test_delete_account_keeps_approved_contributions_anonymous(client, open_call):
    """Ensures that deleting one's account deletes the person and keeps their approved
    contributions as "deleted participant"."""
    sign_in_by_code(client, "ana@example.org")
    participant = Participant.objects.get(user__email="ana@example.org")
    contribution = contribution_service.create_contribution(
        open_call, "An idea", participant=participant, author_name="Ana"
    )
    contribution_service.set_state(contribution, ContributionState.APPROVED)
    assert client.get(reverse("interlink_accounts:delete")).status_code == 200
    response = client.post(reverse("interlink_accounts:delete"))
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="ana@example.org").exists()
    assert not Participant.objects.exists()
    contribution = Contribution.objects.get()
    assert contribution.author_deleted and contribution.state == ContributionState.APPROVED
    assert not client.get(reverse("interlink_accounts:home")).wsgi_request.user.is_authenticated


def test_staff_cannot_delete_their_account_here(client, db, django_user_model):
    """Ensures that a staff account is not deleted from the public site."""
    staff = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(staff)
    assert client.post(reverse("interlink_accounts:delete")).status_code == 403
    assert django_user_model.objects.filter(pk=staff.pk).exists()


def test_prune_deletes_unused_and_inactive_accounts(client, db, settings, django_user_model):
    """Ensures that accounts asked for but never signed into go after ACCOUNTS_UNUSED_DAYS,
    and public accounts not signed into go after the retention period; staff stay."""
    settings.PARTICIPATION_RETENTION_DAYS = 30
    client.post(reverse("account_request_login_code"), {"email": "typed@example.org"})
    client.logout()  # "Use another address": the pending sign-in is dropped
    sign_in_by_code(client, "active@example.org")
    client.logout()
    sign_in_by_code(client, "gone@example.org")
    staff = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    old = timezone.now() - datetime.timedelta(days=40)
    django_user_model.objects.filter(email="typed@example.org").update(date_joined=old)
    django_user_model.objects.filter(email__in=["gone@example.org", "editor@example.org"]).update(
        last_login=old
    )
    call_command("prune_accounts")
    left = set(django_user_model.objects.values_list("email", flat=True))
    assert left == {"active@example.org", staff.email}
