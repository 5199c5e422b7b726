"""A process per call: opened by staff or by the first accepted member, its plan copied
from the call's schema into rows."""

import datetime

from django.core import mail
from django.urls import reverse

from interlink_blocks.blocks.schema import DEFAULT_SCHEMA
from interlink_blocks.participation.models import Participant, TeamRequest
from interlink_blocks.participation.services import engagement
from interlink_blocks.workspace.models import (
    Activity,
    Invitation,
    Membership,
    Objective,
    Process,
    ProcessPhase,
    Task,
)
from interlink_blocks.workspace.services import tree
from tests.support.accounts import sign_in_by_code


def test_opening_copies_the_default_schema(call):
    """Ensures that a process starts as a copy of the call's schema: every phase, objective
    and task of INTERLINK's default, in order."""
    process = tree.open_process(call)
    assert list(process.phases.values_list("kind", flat=True)) == [
        "engage",
        "design",
        "build",
        "sustain",
    ]
    expected = [title for _phase, objectives in DEFAULT_SCHEMA for title, _tasks in objectives]
    assert (
        list(
            Objective.objects.filter(process=process)
            .order_by("phase__position", "position")
            .values_list("title", flat=True)
        )
        == expected
    )
    assert Task.objects.filter(process=process).count() == sum(
        len(tasks) for _phase, objectives in DEFAULT_SCHEMA for _title, tasks in objectives
    )
    assert tree.open_process(call) == process  # opening twice changes nothing
    assert Activity.objects.filter(process=process, verb="opened").count() == 1


def test_opening_keeps_an_editor_schema(make_call):
    """Ensures that an editor's own plan, with dates and statuses, is what the rows start from."""
    call = make_call(
        coproduction_schema=[
            {
                "type": "phase",
                "value": {
                    "phase": "design",
                    "objectives": [
                        {
                            "title": "Talk to carers",
                            "description": "",
                            "tasks": [
                                {
                                    "title": "Run three workshops",
                                    "start_date": "2026-03-01",
                                    "end_date": "2026-03-20",
                                    "status": "in_progress",
                                }
                            ],
                        }
                    ],
                },
            }
        ]
    )
    process = tree.open_process(call)
    task = Task.objects.get(process=process)
    assert task.title == "Run three workshops"
    assert task.start_date == datetime.date(2026, 3, 1)
    assert task.status == "in_progress"
    assert task.objective.phase.kind == "design"
    assert ProcessPhase.objects.filter(process=process).count() == 4


def test_staff_open_the_process_from_the_admin(client, call, staff):
    """Ensures that staff open a call's process from the admin (a confirmation, then POST)
    and land in its workspace; public accounts cannot."""
    client.force_login(staff)
    url = reverse("interlink_workspace_admin:open", args=[call.pk])
    assert client.get(url).status_code == 200
    assert not Process.objects.exists()
    response = client.post(url)
    process = Process.objects.get(call=call)
    assert response["Location"] == reverse("interlink_workspace:overview", args=[process.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_public_account_cannot_open_a_process(client, call, person):
    client.force_login(person("nora@example.org"))
    response = client.post(reverse("interlink_workspace_admin:open", args=[call.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Process.objects.exists()


def _accepted_request(call, email, user=None):
    participant = (
        Participant.objects.for_user(user) if user else Participant.objects.for_email(email)
    )
    participant.confirm("Ana")
    team_request = engagement.request_team(
        call,
        participant,
        {"role": "business", "motivation": "We run a care service.", "name": "Ana"},
        confirmed=True,
    )
    engagement.decide_team_request(team_request, accept=True)
    return team_request


def test_an_accepted_member_with_an_account_joins_the_process(call, person):
    """Ensures that accepting a team request opens the call's process (the first member)
    and makes its author a member, with the team role they asked with."""
    user = person("ana@example.org")
    _accepted_request(call, "ana@example.org", user=user)
    membership = Membership.objects.get(user=user)
    assert membership.process.call_id == call.pk
    assert membership.team_role == "business" and membership.role == "member"
    assert membership.name == "Ana"


def test_an_accepted_member_without_account_joins_on_signing_in(client, call):
    """Ensures that someone accepted before having an account is invited by address, and
    becomes a member when they sign in with it."""
    _accepted_request(call, "ana@example.org")
    assert Invitation.objects.filter(email="ana@example.org", accepted_at=None).exists()
    assert any("/accounts/login/code/" in m.body for m in mail.outbox if "ana@example.org" in m.to)
    sign_in_by_code(client, "ana@example.org")
    membership = Membership.objects.get(user__email="ana@example.org")
    assert membership.team_role == "business"
    process = membership.process
    assert client.get(reverse("interlink_workspace:overview", args=[process.pk])).status_code == 200


def test_declining_after_accepting_takes_the_place_away(call, person):
    user = person("ana@example.org")
    team_request = _accepted_request(call, "ana@example.org", user=user)
    engagement.decide_team_request(TeamRequest.objects.get(pk=team_request.pk), accept=False)
    assert not Membership.objects.filter(user=user).exists()


def test_staff_invite_by_address(client, process, staff):
    """Ensures that a process admin invites a person by address from the team page: a mail
    goes out, and signing in with that address makes them a member with the chosen role."""
    client.force_login(staff)
    response = client.post(
        reverse("interlink_workspace:team", args=[process.pk]),
        {
            "email": "Luca@Example.org",
            "role": "observer",
            "team_role": "researcher",
            "name": "Luca",
        },
    )
    assert response.status_code == 302
    assert any("luca@example.org" in m.to for m in mail.outbox)
    client.logout()
    sign_in_by_code(client, "luca@example.org")
    membership = Membership.objects.get(user__email="luca@example.org")
    assert (membership.role, membership.team_role, membership.name) == (
        "observer",
        "researcher",
        "Luca",
    )


def test_invite_form_errors_answer_400(client, process, staff):
    client.force_login(staff)
    response = client.post(
        reverse("interlink_workspace:team", args=[process.pk]), {"email": "nope", "role": "member"}
    )
    assert response.status_code == 400
    assert "il-error-summary" in response.content.decode()
    assert not Invitation.objects.exists()
