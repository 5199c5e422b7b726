"""Staff moderation in the Wagtail admin: queue, bulk actions, hiding, answers, reports."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from interlink_blocks.participation import signals
from interlink_blocks.participation.models import (
    Contribution,
    ContributionState,
    Participant,
    Subscription,
)
from interlink_blocks.participation.services import contributions as contribution_service

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/interlink_participation/contribution/"


def pending(call, body, email="p@example.org"):
    participant = Participant.objects.for_email(email)
    participant.confirm()
    return contribution_service.create_contribution(call, body, participant=participant)


def edit_data(contribution, **overrides):
    data = {
        "call": contribution.call_id,
        "kind": contribution.kind,
        "title": contribution.title,
        "body": contribution.body,
        "state": contribution.state,
        "moderation_reason": contribution.moderation_reason,
        "answer_status": contribution.answer_status,
        "answer_text": contribution.answer_text,
    }
    data.update(overrides)
    return data


@pytest.fixture
def received():
    """Collects the participation signals sent during a test."""
    seen = []

    def handler(signal, sender, contribution, **kwargs):
        seen.append((signal, contribution.pk))

    for signal in (
        signals.contribution_approved,
        signals.contribution_withdrawn,
        signals.contribution_removed,
    ):
        signal.connect(handler, weak=False)
    yield seen
    for signal in (
        signals.contribution_approved,
        signals.contribution_withdrawn,
        signals.contribution_removed,
    ):
        signal.disconnect(handler)


def test_queue_filters_by_state_and_call(staff_client, make_call, open_call):
    """Ensures that the moderation queue lists contributions across calls and narrows to one
    call and one state."""
    other_call = make_call(title="Library opening hours", slug="library")
    pending(open_call, "Home care by phone")
    pending(other_call, "Open on Sundays")
    approved = pending(other_call, "Already approved one")
    contribution_service.set_state(approved, ContributionState.APPROVED)

    everything = staff_client.get(QUEUE).content.decode()
    assert "Home care by phone" in everything and "Open on Sundays" in everything
    per_call = staff_client.get(QUEUE, {"call": other_call.pk, "state": "pending"}).content.decode()
    assert "Open on Sundays" in per_call
    assert "Home care by phone" not in per_call
    assert "Already approved one" not in per_call


def test_bulk_approve_and_reject(staff_client, open_call, received):
    """Ensures that staff approve and reject several contributions at once through the admin's
    bulk actions, and that approval sends the signal other apps react to."""
    first, second, third = (pending(open_call, f"Idea {n}") for n in range(3))
    url = reverse(
        "wagtail_bulk_action", args=["interlink_participation", "contribution", "approve"]
    )
    confirm = staff_client.get(url, {"id": [first.pk, second.pk]})
    assert confirm.status_code == 200
    response = staff_client.post(url + f"?id={first.pk}&id={second.pk}", {})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == ContributionState.APPROVED and first.published_at
    assert Contribution.objects.get(pk=second.pk).state == ContributionState.APPROVED
    assert (signals.contribution_approved, first.pk) in received

    reject = reverse(
        "wagtail_bulk_action", args=["interlink_participation", "contribution", "reject"]
    )
    staff_client.post(reject + f"?id={third.pk}&id={second.pk}", {})
    assert Contribution.objects.get(pk=third.pk).state == ContributionState.REJECTED
    assert Contribution.objects.get(pk=second.pk).state == ContributionState.REJECTED
    assert (signals.contribution_removed, second.pk) in received


def test_bulk_actions_need_change_permission(client, open_call, django_user_model):
    """Ensures that an admin user without the change permission cannot approve."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    contribution = pending(open_call, "Idea")
    url = reverse(
        "wagtail_bulk_action", args=["interlink_participation", "contribution", "approve"]
    )
    client.post(url + f"?id={contribution.pk}", {})
    assert Contribution.objects.get(pk=contribution.pk).state == ContributionState.PENDING


def test_hiding_requires_a_reason(staff_client, open_call, received):
    """Ensures that staff hide a published contribution only with a reason, and that it then
    disappears from the call page."""
    contribution = pending(open_call, "Visible for now")
    contribution_service.set_state(contribution, ContributionState.APPROVED)
    edit = reverse(
        "wagtailsnippets_interlink_participation_contribution:edit", args=[contribution.pk]
    )
    response = staff_client.post(edit, edit_data(contribution, state="hidden"))
    assert response.status_code == 200  # re-rendered with the error
    assert Contribution.objects.get(pk=contribution.pk).state == ContributionState.APPROVED
    response = staff_client.post(
        edit, edit_data(contribution, state="hidden", moderation_reason="Personal data")
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.HIDDEN
    assert contribution.moderation_reason == "Personal data"
    assert (signals.contribution_removed, contribution.pk) in received
    assert "Visible for now" not in Client().get(open_call.url).content.decode()


def test_official_answer_is_public_and_mailed(staff_client, open_call):
    """Ensures that an official answer shows under the contribution and is mailed to its
    author and to the call's subscribers (each with a one-click unsubscribe header)."""
    contribution = pending(open_call, "Add a phone line", email="author@example.org")
    contribution_service.set_state(contribution, ContributionState.APPROVED)
    subscriber = Participant.objects.for_email("sub@example.org")
    Subscription.objects.create(call=open_call, participant=subscriber)
    edit = reverse(
        "wagtailsnippets_interlink_participation_contribution:edit", args=[contribution.pk]
    )

    refused = staff_client.post(edit, edit_data(contribution, answer_status="rejected"))
    assert refused.status_code == 200
    assert not Contribution.objects.get(pk=contribution.pk).answer_status

    mail.outbox.clear()
    response = staff_client.post(
        edit,
        edit_data(
            contribution,
            answer_status="accepted",
            answer_text="We will open the line in March.",
        ),
    )
    assert response.status_code == 302
    html = Client().get(open_call.url).content.decode()
    assert "Official answer:" in html and "Accepted" in html
    assert "We will open the line in March." in html
    to_author = [m for m in mail.outbox if m.to == ["author@example.org"]]
    to_subscriber = [m for m in mail.outbox if m.to == ["sub@example.org"]]
    assert to_author and "We will open the line in March." in to_author[0].body
    assert to_subscriber and to_subscriber[0].extra_headers["List-Unsubscribe"].startswith("<http")
    assert to_subscriber[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reports_hide_a_contribution_at_the_threshold(
    client, open_call, approved, settings, received
):
    """Ensures that each distinct reporter counts once and that the configured number of
    reports hides the contribution until staff review it."""
    settings.PARTICIPATION_REPORTS_TO_HIDE = 3
    contribution = approved(body="Buy cheap watches at spam.example")
    url = reverse("participation:report", args=[contribution.pk])
    assert client.get(url).status_code == 200
    for n in range(2):
        response = client.post(url, {"reason": "spam", "website": ""}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    # The same person reporting again does not count twice.
    client.post(url, {"reason": "spam", "website": ""}, REMOTE_ADDR="10.0.0.1")
    contribution.refresh_from_db()
    assert contribution.report_count == 2 and contribution.state == ContributionState.APPROVED
    assert "spam.example" in client.get(open_call.url).content.decode()

    client.post(url, {"reason": "", "website": ""}, REMOTE_ADDR="10.0.0.3")
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.HIDDEN
    assert "3 reports" in contribution.moderation_reason
    assert (signals.contribution_removed, contribution.pk) in received
    assert "spam.example" not in client.get(open_call.url).content.decode()


def test_dashboard_panel_counts_per_call(staff_client, open_call, approved):
    """Ensures that the Wagtail dashboard shows per-call pending contributions, supports and
    team members."""
    from interlink_blocks.participation.models import Support, TeamRequest

    pending(open_call, "One")
    pending(open_call, "Two")
    contribution = approved()
    Support.objects.create(participant=contribution.participant, call=open_call)
    member = Participant.objects.for_email("m@example.org")
    TeamRequest.objects.create(
        call=open_call, participant=member, role="citizen", motivation="x", state="accepted"
    )
    html = staff_client.get("/admin/").content.decode()
    assert 'id="participation' in html
    row = html[html.index(open_call.title, html.index("Contributions pending")) :]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:5]]
    assert cells == ["2", "1", "1", "0"]


def test_staff_cannot_create_contributions_in_the_admin(staff_client):
    """Ensures that contributions come from the public only: the admin offers no create view."""
    response = staff_client.get(QUEUE + "add/")
    assert response.status_code in (302, 403)
    assert not Contribution.objects.exists()
    assert QUEUE + "add/" not in staff_client.get(QUEUE).content.decode()


def test_a_call_links_to_its_own_queue_in_the_admin(staff_client, open_call):
    """Ensures that the call's admin pages offer a link to its per-call moderation queue."""
    edit = staff_client.get(reverse("wagtailadmin_pages:edit", args=[open_call.pk]))
    assert f"{QUEUE}?call={open_call.pk}" in edit.content.decode()
