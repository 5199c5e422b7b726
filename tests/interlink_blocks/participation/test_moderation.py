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
from tests.support.translations import publish_translation

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


def test_mails_about_a_call_are_written_in_the_calls_language(staff_client, open_call):
    """Ensures that the official answer and a team decision, sent from an English admin, reach
    the people who took part on the Spanish page of a call in Spanish (subscribers too)."""
    from django.utils import translation

    from interlink_blocks.participation.models import TeamRequest
    from interlink_blocks.participation.services import engagement

    spanish_call = publish_translation(open_call, "es")
    contribution = pending(spanish_call, "Una línea de teléfono", email="autora@example.org")
    contribution_service.set_state(contribution, ContributionState.APPROVED)
    Subscription.objects.create(
        call=spanish_call, participant=Participant.objects.for_email("sub@example.org")
    )
    team_request = TeamRequest.objects.create(
        call=spanish_call,
        participant=Participant.objects.for_email("vecino@example.org"),
        role="citizen",
        motivation="Vivo en el barrio.",
        state="pending",
    )
    edit = reverse(
        "wagtailsnippets_interlink_participation_contribution:edit", args=[contribution.pk]
    )
    mail.outbox.clear()

    with translation.override("en"):
        response = staff_client.post(
            edit, edit_data(contribution, answer_status="accepted", answer_text="En marzo.")
        )
        assert response.status_code == 302
        engagement.decide_team_request(team_request, accept=True)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    expected = {
        "autora@example.org": "Official answer to your contribution to “%(title)s”",
        "sub@example.org": "[%(title)s] An official answer was published",
        "vecino@example.org": "Your request to join “%(title)s”",
    }
    for address, msgid in expected.items():
        with translation.override("es"):
            spanish = translation.gettext(msgid)
        assert spanish != msgid  # the catalogue has it
        assert subjects[address] == spanish % {"title": spanish_call.title}


def test_reports_hide_a_contribution_at_the_threshold(
    client, open_call, approved, settings, received
):
    """Ensures that each distinct reporter counts once and that the configured number of
    reports hides the contribution until staff review it."""
    settings.PARTICIPATION_REPORTS_TO_HIDE = 3
    contribution = approved(body="Buy cheap watches at spam.example")
    url = reverse("interlink_participation:report", args=[contribution.pk])
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


def edit_url(contribution):
    return reverse(
        "wagtailsnippets_interlink_participation_contribution:edit", args=[contribution.pk]
    )


def test_bulk_approve_skips_unconfirmed_and_withdrawn_contributions(
    staff_client, open_call, received
):
    """Ensures that bulk Approve publishes confirmed pending contributions only: one sent with
    a typed address but never confirmed, and one its author withdrew, stay as they are, and
    staff are told how many were skipped and why. The edit view refuses the same moves."""
    confirmed = pending(open_call, "Confirmed idea")
    Client().post(
        reverse("interlink_participation:contribute", args=[open_call.pk]),
        {"kind": "idea", "body": "Sent with someone's address", "email": "x@example.org"},
    )
    unconfirmed = Contribution.objects.get(state=ContributionState.UNCONFIRMED)
    withdrawn = pending(open_call, "Withdrawn idea", email="w@example.org")
    contribution_service.withdraw(withdrawn)
    received.clear()

    url = reverse(
        "wagtail_bulk_action", args=["interlink_participation", "contribution", "approve"]
    )
    ids = "&".join(f"id={c.pk}" for c in (confirmed, unconfirmed, withdrawn))
    response = staff_client.post(f"{url}?{ids}&next={QUEUE}", {}, follow=True)
    assert response.status_code == 200
    states = dict(Contribution.objects.values_list("pk", "state"))
    assert states == {
        confirmed.pk: ContributionState.APPROVED,
        unconfirmed.pk: ContributionState.UNCONFIRMED,
        withdrawn.pk: ContributionState.WITHDRAWN,
    }
    html = response.content.decode()
    assert "1 item updated." in html
    assert "1 contribution was not approved: its author has not confirmed it by e-mail yet." in html
    assert "1 contribution was not approved: its author withdrew it." in html
    assert received == [(signals.contribution_approved, confirmed.pk)]

    for contribution in (unconfirmed, withdrawn):
        refused = staff_client.post(
            edit_url(contribution), edit_data(contribution, state="approved")
        )
        assert refused.status_code == 200
        assert b"so it cannot be approved" in refused.content
        refused = staff_client.post(
            edit_url(contribution), edit_data(contribution, state="pending")
        )
        assert refused.status_code == 200
    assert Contribution.objects.get(pk=unconfirmed.pk).state == ContributionState.UNCONFIRMED
    assert Contribution.objects.get(pk=withdrawn.pk).state == ContributionState.WITHDRAWN


def test_an_official_answer_needs_an_approved_contribution(staff_client, open_call):
    """Ensures that answering a contribution still in moderation is refused with an error on
    the form, mailing nobody, and that approving it in the same save publishes the answer."""
    contribution = pending(open_call, "Not public yet", email="author@example.org")
    Subscription.objects.create(
        call=open_call, participant=Participant.objects.for_email("sub@example.org")
    )
    mail.outbox.clear()
    answer = {"answer_status": "accepted", "answer_text": "We will do it."}

    refused = staff_client.post(edit_url(contribution), edit_data(contribution, **answer))
    assert refused.status_code == 200
    assert b"approve the contribution first" in refused.content
    contribution.refresh_from_db()
    assert not contribution.answer_status and contribution.answered_at is None
    assert mail.outbox == []

    response = staff_client.post(
        edit_url(contribution), edit_data(contribution, state="approved", **answer)
    )
    assert response.status_code == 302
    assert {tuple(m.to) for m in mail.outbox} == {("author@example.org",), ("sub@example.org",)}
    assert "We will do it." in Client().get(open_call.url).content.decode()


def test_after_staff_review_reports_count_again_from_zero(
    staff_client, open_call, approved, settings
):
    """Ensures that a contribution hidden by reports and approved again by staff is not hidden
    again by the next single report: the count toward hiding restarts at the review, while
    every report stays recorded."""
    from interlink_blocks.participation.models import Report

    settings.PARTICIPATION_REPORTS_TO_HIDE = 3
    contribution = approved(body="Blunt but within the rules")
    url = reverse("interlink_participation:report", args=[contribution.pk])
    client = Client()

    def report_from(address):
        client.post(url, {"reason": "rude", "website": ""}, REMOTE_ADDR=address)
        contribution.refresh_from_db()

    for n in range(3):
        report_from(f"10.0.0.{n}")
    assert contribution.state == ContributionState.HIDDEN

    response = staff_client.post(edit_url(contribution), edit_data(contribution, state="approved"))
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.APPROVED and contribution.report_count == 0

    report_from("10.0.1.1")
    assert contribution.state == ContributionState.APPROVED and contribution.report_count == 1
    report_from("10.0.0.1")  # reported before the review: still counts once only
    assert contribution.report_count == 1
    report_from("10.0.1.2")
    assert contribution.state == ContributionState.APPROVED
    report_from("10.0.1.3")
    assert contribution.state == ContributionState.HIDDEN
    assert Report.objects.filter(contribution=contribution).count() == 6


def test_dashboard_panel_counts_scale_with_the_rows(staff_client, open_call):
    """Ensures that the dashboard panel counts contributions, supports and team requests with
    one query that joins none of them to another (joined, they multiplied each other: over a
    minute at ~1,200 rows), so the dashboard stays fast with 1,200 rows on one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interlink_blocks.participation.models import Support, TeamRequest

    n = 400
    people = Participant.objects.bulk_create(
        Participant(email=f"p{i}@example.org") for i in range(n)
    )
    Contribution.objects.bulk_create(
        Contribution(call=open_call, body=f"Idea {i}", participant=p, state="pending")
        for i, p in enumerate(people)
    )
    Support.objects.bulk_create(Support(call=open_call, participant=p) for p in people)
    TeamRequest.objects.bulk_create(
        TeamRequest(
            call=open_call,
            participant=p,
            role="citizen",
            motivation="Help",
            state="accepted" if i % 2 else "pending",
        )
        for i, p in enumerate(people)
    )

    with CaptureQueriesContext(connection) as queries:
        html = staff_client.get("/admin/").content.decode()
    row = html[html.index(open_call.title, html.index("Contributions pending")) :]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:5]]
    assert cells == ["400", "400", "200", "200"]

    tables = [
        f'JOIN "interlink_participation_{name}"'
        for name in ("contribution", "support", "teamrequest")
    ]
    counting = [q["sql"] for q in queries if "interlink_participation_support" in q["sql"]]
    assert len(counting) == 1
    # The joined version (one JOIN per counted table) took minutes here: the query's shape,
    # not a measured duration, is what keeps it fast.
    assert not [table for table in tables if table in counting[0]]


def test_dashboard_panel_only_for_people_who_may_see_contributions(
    client, open_call, django_user_model
):
    """Ensures that an admin user without any permission on contributions gets a dashboard
    without the participation panel, and one allowed to view them gets it."""
    from django.contrib.auth.models import Permission

    pending(open_call, "Waiting for a moderator")
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "Contributions pending" not in html

    user.user_permissions.add(Permission.objects.get(codename="view_contribution"))
    html = client.get("/admin/").content.decode()
    assert "Contributions pending" in html


def test_deleting_a_public_contribution_in_the_admin_tells_other_apps(
    staff_client, open_call, approved, received
):
    """Ensures that staff deleting an approved contribution (and with it its replies) from the
    admin send ``contribution_removed`` for each public one, so federation and search forget
    them."""
    parent = approved(body="To be deleted")
    reply = approved(body="A reply", email="r@example.org", parent=parent)
    received.clear()
    delete = reverse(
        "wagtailsnippets_interlink_participation_contribution:delete", args=[parent.pk]
    )
    assert staff_client.post(delete).status_code == 302
    assert not Contribution.objects.exists()
    assert sorted(received) == sorted(
        [(signals.contribution_removed, parent.pk), (signals.contribution_removed, reply.pk)]
    )
