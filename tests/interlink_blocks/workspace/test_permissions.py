"""Who sees and changes what: anonymous visitors, outsiders, observers, members, admins."""

import pytest
from django.urls import reverse

from interlink_blocks.workspace.models import Membership, Task, WorkStatus
from interlink_blocks.workspace.services import tree


def pages(process):
    task = Task.objects.filter(process=process).first()
    return [
        reverse("interlink_workspace:overview", args=[process.pk]),
        reverse("interlink_workspace:plan", args=[process.pk]),
        reverse("interlink_workspace:team", args=[process.pk]),
        reverse("interlink_workspace:activity", args=[process.pk]),
        reverse("interlink_workspace:task", args=[process.pk, task.pk]),
        reverse("interlink_workspace:workplan", args=[process.pk]),
        reverse("interlink_workspace:discussion", args=[process.pk, task.pk]),
        reverse("interlink_workspace:notifications", args=[process.pk]),
    ]


def progress_form(task, status="done", **extra):
    return {"action": "progress", "status": status, "start_date": "", "end_date": "", **extra}


def test_anonymous_visitors_are_sent_to_sign_in(client, process):
    """Ensures that the workspace is not public: every page asks an anonymous visitor to sign in."""
    for url in pages(process):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_request_login_code"))


def test_anonymous_visitors_see_only_public_progress(client, process, member):
    """Ensures that the call page shows the live progress (phase, tasks done of total, last
    update) and nothing of the team's members-only parts."""
    member(process, "ana@example.org", name="Ana Secret")
    task = Task.objects.filter(process=process).first()
    tree.update_task(task, None, status=WorkStatus.DONE)
    html = client.get(process.call.url).content.decode()
    total = Task.objects.filter(process=process).count()
    assert "Co-production progress" in html
    assert f"1 of {total} tasks done" in html
    assert "Last update:" in html
    assert task.title not in html  # task names are the team's
    assert "Ana Secret" not in html
    assert reverse("interlink_workspace:overview", args=[process.pk]) not in html


def test_outsiders_and_other_teams_cannot_see_a_workspace(client, process, member, make_call):
    """Ensures that a signed-in person outside the team, and a member of another process,
    get 403 on every members-only page."""
    other = tree.open_process(make_call(title="Another call", slug="another"))
    outsider = member(other, "other@example.org")
    client.force_login(outsider)
    for url in pages(process):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Only for the co-production team" in response.content.decode()
    assert client.get(reverse("interlink_workspace:overview", args=[other.pk])).status_code == 200


def test_an_observer_cannot_edit(client, process, member):
    """Ensures that an observer reads the workspace but every change is refused, and nothing changes."""
    client.force_login(member(process, "olga@example.org", role="observer"))
    task = Task.objects.filter(process=process).first()
    for url in pages(process):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("interlink_workspace:objective", args=[process.pk, task.objective_id]),
        reverse("interlink_workspace:phase", args=[process.pk, task.objective.phase_id]),
    ):
        assert client.get(url).status_code == 403, url  # the admins' pages
    response = client.post(
        reverse("interlink_workspace:task", args=[process.pk, task.pk]), progress_form(task)
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == WorkStatus.PLANNED
    response = client.post(
        reverse("interlink_workspace:team", args=[process.pk]),
        {"email": "x@example.org", "role": "admin"},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("interlink_workspace:remove", args=[process.pk, "task", task.pk])
        ).status_code
        == 403
    )
    assert Task.objects.filter(pk=task.pk).exists()


def test_a_member_updates_a_task_and_it_is_logged(client, process, member):
    """Ensures that a member sets status, dates and assignment; the log says who and what."""
    user = member(process, "ana@example.org", name="Ana")
    client.force_login(user)
    task = Task.objects.filter(process=process).first()
    membership = Membership.objects.get(user=user)
    response = client.post(
        reverse("interlink_workspace:task", args=[process.pk, task.pk]),
        progress_form(
            task,
            status="in_progress",
            start_date="2026-04-01",
            end_date="2026-04-30",
            assignees=[membership.pk],
        ),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress" and str(task.end_date) == "2026-04-30"
    assert list(task.assignees.all()) == [membership]
    verbs = list(process.activities.filter(actor=user).values_list("verb", flat=True))
    assert set(verbs) == {"task_changed", "task_assigned"}
    log = client.get(reverse("interlink_workspace:activity", args=[process.pk])).content.decode()
    assert "Ana" in log and "In progress" in log


def test_a_member_cannot_change_the_plan(client, process, member):
    """Ensures that adding, renaming, moving and removing objectives and tasks is for admins."""
    client.force_login(member(process, "ana@example.org"))
    task = Task.objects.filter(process=process).first()
    phase = process.phases.first()
    assert (
        client.post(
            reverse("interlink_workspace:plan", args=[process.pk]),
            {"phase": phase.pk, f"phase-{phase.pk}-title": "Mine"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("interlink_workspace:objective", args=[process.pk, task.objective_id]),
            {"action": "add_task", "title": "X"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("interlink_workspace:move", args=[process.pk, "task", task.pk]),
            {"direction": "down"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("interlink_workspace:task", args=[process.pk, task.pk]),
            {"action": "details", "title": "Renamed"},
        ).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.title != "Renamed"


def test_team_role_restrictions_per_phase_and_task(client, process, member):
    """Ensures that a phase (or a task) restricted to some team roles refuses the others."""
    task = Task.objects.filter(process=process, objective__phase__kind="engage").first()
    tree.restrict_phase(task.objective.phase, ["civil_servant"], None)
    citizen = member(process, "ana@example.org", team_role="citizen")
    servant = member(process, "cs@example.org", team_role="civil_servant")
    client.force_login(citizen)
    url = reverse("interlink_workspace:task", args=[process.pk, task.pk])
    assert "Only some team roles may update this task." in client.get(url).content.decode()
    assert client.post(url, progress_form(task)).status_code == 403
    client.force_login(servant)
    assert client.post(url, progress_form(task)).status_code == 302
    # A task's own roles count instead of its phase's.
    tree.update_task(task, None, editable_by=["citizen"])
    client.force_login(citizen)
    assert client.post(url, progress_form(task, status="in_progress")).status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress"


def test_a_removed_member_loses_access_at_once(client, process, member, staff):
    """Ensures that removal takes effect on the member's very next request (same session)."""
    user = member(process, "ana@example.org")
    client.force_login(user)
    url = reverse("interlink_workspace:overview", args=[process.pk])
    assert client.get(url).status_code == 200
    admin_client = client.__class__()
    admin_client.force_login(staff)
    membership = Membership.objects.get(user=user)
    response = admin_client.post(
        reverse("interlink_workspace:member", args=[process.pk, membership.pk]),
        {"action": "remove"},
    )
    assert response.status_code == 302
    for page_url in pages(process):
        assert client.get(page_url).status_code == 403, page_url
    assert process.activities.filter(verb="member_removed").exists()


@pytest.mark.parametrize("role", ["admin"])
def test_an_admin_member_changes_the_plan(client, process, member, role):
    """Ensures that a trusted member made process admin adds, renames, reorders and removes."""
    client.force_login(member(process, "boss@example.org", role=role))
    phase = process.phases.get(kind="build")
    response = client.post(
        reverse("interlink_workspace:plan", args=[process.pk]),
        {
            "phase": phase.pk,
            f"phase-{phase.pk}-title": "Pilot in two districts",
            f"phase-{phase.pk}-description": "",
        },
    )
    assert response.status_code == 302
    objective = phase.objectives.get(title="Pilot in two districts")
    response = client.post(
        reverse("interlink_workspace:objective", args=[process.pk, objective.pk]),
        {"action": "add_task", "title": "Pick districts"},
    )
    first = objective.tasks.get()
    client.post(
        reverse("interlink_workspace:objective", args=[process.pk, objective.pk]),
        {"action": "add_task", "title": "Train staff"},
    )
    second = objective.tasks.get(title="Train staff")
    client.post(
        reverse("interlink_workspace:move", args=[process.pk, "task", second.pk]),
        {"direction": "up"},
    )
    assert list(objective.tasks.order_by("position").values_list("title", flat=True)) == [
        "Train staff",
        "Pick districts",
    ]
    client.post(
        reverse("interlink_workspace:task", args=[process.pk, first.pk]),
        {"action": "details", "title": "Pick two districts", "description": "With the council."},
    )
    first.refresh_from_db()
    assert first.title == "Pick two districts"
    client.post(reverse("interlink_workspace:remove", args=[process.pk, "task", first.pk]))
    assert not Task.objects.filter(pk=first.pk).exists()
    client.post(reverse("interlink_workspace:remove", args=[process.pk, "objective", objective.pk]))
    assert not objective.__class__.objects.filter(pk=objective.pk).exists()
    verbs = set(process.activities.values_list("verb", flat=True))
    assert {
        "objective_added",
        "task_added",
        "task_moved",
        "task_changed",
        "task_removed",
        "objective_removed",
    } <= verbs


def test_bad_input_gets_4xx(client, process, member):
    """Ensures that broken forms, unknown kinds and foreign ids answer 4xx and change nothing."""
    client.force_login(member(process, "boss@example.org", role="admin"))
    task = Task.objects.filter(process=process).first()
    url = reverse("interlink_workspace:task", args=[process.pk, task.pk])
    response = client.post(
        url, progress_form(task, status="nonsense", start_date="2026-05-02", end_date="2026-05-01")
    )
    assert response.status_code == 400
    assert (
        client.post(
            reverse("interlink_workspace:move", args=[process.pk, "page", task.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("interlink_workspace:plan", args=[process.pk]), {"phase": "999999"}
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("interlink_workspace:activity", args=[process.pk]) + "?page=99999999999999"
        ).status_code
        == 200
    )
    assert client.get(reverse("interlink_workspace:overview", args=[999999])).status_code == 404


def test_bad_discussion_input_gets_4xx(client, process, member, make_call):
    """Ensures that an empty or over-long message answers 400 and stores nothing, and that a
    message of another process cannot be hidden or reported through this one (404)."""
    from interlink_blocks.workspace.access import access_for
    from interlink_blocks.workspace.models import Message
    from interlink_blocks.workspace.services import discussion

    boss = member(process, "boss@example.org", role="admin")
    client.force_login(boss)
    task = Task.objects.filter(process=process).first()
    url = reverse("interlink_workspace:discussion", args=[process.pk, task.pk])
    assert client.post(url, {"body": "   "}).status_code == 400
    assert client.post(url, {"body": "x" * 5001}).status_code == 400
    assert not Message.objects.exists()
    other = tree.open_process(make_call(title="Another call", slug="another"))
    stranger = member(other, "other@example.org")
    foreign = discussion.post(
        Task.objects.filter(process=other).first(), access_for(stranger, other), "Theirs"
    )
    for name in ("moderate_message", "report_message"):
        target = reverse(f"interlink_workspace:{name}", args=[process.pk, foreign.pk])
        assert client.post(target, {"action": "hide", "reason": "no"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "visible" and not foreign.reports.exists()
