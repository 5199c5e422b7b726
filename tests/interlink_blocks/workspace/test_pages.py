"""Workspace pages: overview, plan, call page progress, data export and deletion, queries."""

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from interlink_blocks.participation.models import Participant
from interlink_blocks.workspace.models import Activity, Membership, Task, WorkStatus
from interlink_blocks.workspace.services import tree


def test_overview_shows_progress_and_changes_since_last_visit(client, process, member):
    """Ensures that the overview counts tasks done per phase and lists only what changed
    since the member last opened it."""
    ana = member(process, "ana@example.org", name="Ana")
    client.force_login(ana)
    url = reverse("interlink_workspace:overview", args=[process.pk])
    client.get(url)  # the first visit
    task = Task.objects.filter(process=process, objective__phase__kind="design").first()
    tree.update_task(task, None, title="Interview twelve carers", status=WorkStatus.DONE)
    html = client.get(url).content.decode()
    assert "Changes since your last visit" in html
    assert "Interview twelve carers" in html
    html = client.get(url).content.decode()
    assert "Nothing has changed since your last visit." in html
    design_row = html.split("Design")[1].split("</tr>")[0]
    assert "<td>1</td>" in design_row


def test_overview_reload_without_news_keeps_the_last_visit(client, process, member):
    """Ensures that reopening the overview within a minute with nothing new does not write
    the visit (nothing shown would change), while a later visit, or one that finds a change,
    moves it on."""
    ana = member(process, "ana@example.org", name="Ana")
    membership = Membership.objects.get(user=ana)
    client.force_login(ana)
    url = reverse("interlink_workspace:overview", args=[process.pk])
    client.get(url)
    Activity.objects.filter(process=process).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    recent = timezone.now() - datetime.timedelta(seconds=30)
    Membership.objects.filter(pk=membership.pk).update(last_seen_at=recent)
    assert "Nothing has changed since your last visit." in client.get(url).content.decode()
    membership.refresh_from_db()
    assert membership.last_seen_at == recent
    older = timezone.now() - datetime.timedelta(minutes=2)
    Membership.objects.filter(pk=membership.pk).update(last_seen_at=older)
    assert "Nothing has changed since your last visit." in client.get(url).content.decode()
    membership.refresh_from_db()
    assert membership.last_seen_at > older
    Membership.objects.filter(pk=membership.pk).update(last_seen_at=recent)
    task = Task.objects.filter(process=process).first()
    tree.update_task(task, None, title="Interview twelve carers")
    assert "Interview twelve carers" in client.get(url).content.decode()
    membership.refresh_from_db()
    assert membership.last_seen_at > recent


def test_overview_lists_my_tasks(client, process, member):
    ana = member(process, "ana@example.org", name="Ana")
    task = Task.objects.filter(process=process).last()
    tree.assign(task, [Membership.objects.get(user=ana)], None)
    client.force_login(ana)
    html = client.get(reverse("interlink_workspace:overview", args=[process.pk])).content.decode()
    assert task.title in html.split("Your tasks")[1]


def test_call_page_without_process_keeps_the_schema_timeline(client, call):
    """Ensures that a call without a process shows the editor's schema as before."""
    html = client.get(call.url).content.decode()
    assert "Co-production plan" in html and "Co-production progress" not in html
    assert "Map the people and organisations concerned" in html


def test_call_page_links_members_to_their_workspace(client, process, member):
    client.force_login(member(process, "ana@example.org"))
    html = client.get(process.call.url).content.decode()
    assert reverse("interlink_workspace:overview", args=[process.pk]) in html


def test_account_page_lists_teams(client, process, member):
    client.force_login(member(process, "ana@example.org"))
    html = client.get(reverse("interlink_accounts:home")).content.decode()
    assert "Your co-production teams" in html and process.call.title in html


def test_personal_data_covers_the_workspace(client, process, member):
    """Ensures that the data download lists memberships, and deleting the account removes the
    person from the team while the log keeps what happened without their name."""
    ana = member(process, "ana@example.org", name="Ana Example")
    task = Task.objects.filter(process=process).first()
    tree.assign(task, [Membership.objects.get(user=ana)], ana)
    client.force_login(ana)
    data = json.loads(client.get(reverse("interlink_accounts:download")).content)
    (entry,) = data["workspace_memberships"]
    assert entry["call"] == process.call.title and entry["tasks_assigned"] == [task.title]
    client.post(reverse("interlink_accounts:delete"))
    assert not Membership.objects.exists()
    assert not Participant.objects.exists()
    assert process.activities.filter(verb="task_assigned", actor=None).exists()
    assert not process.activities.filter(subject="Ana Example").exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_tasks(client, process, member):
    """Ensures that the overview, plan, workplan and call page read a bounded number of
    queries, the same for a plan of 26 tasks and one of 226."""
    ana = member(process, "ana@example.org")
    client.force_login(ana)
    urls = [
        reverse("interlink_workspace:overview", args=[process.pk]),
        reverse("interlink_workspace:plan", args=[process.pk]),
        reverse("interlink_workspace:workplan", args=[process.pk]),
        process.call.url,
    ]
    for url in urls:
        client.get(url)
    before = [_queries(client, url) for url in urls]
    objective = process.objectives.first()
    membership = Membership.objects.get(user=ana)
    for i in range(200):
        t = Task.objects.create(
            process=process,
            objective=objective,
            title=f"Task {i}",
            position=100 + i,
            start_date=datetime.date(2026, 1 + i % 12, 1 + i % 28),
        )
        t.assignees.add(membership)
    after = [_queries(client, url) for url in urls]
    assert after == before


def test_workplan_draws_tasks_over_months_without_script(client, process, member):
    """Ensures that the workplan is a server-rendered table of months with bars spanning
    each task's months, no script, and a print style."""
    task = Task.objects.filter(process=process, objective__phase__kind="design").first()
    tree.update_task(
        task, None, start_date=datetime.date(2026, 2, 10), end_date=datetime.date(2026, 4, 5)
    )
    other = Task.objects.filter(process=process, objective__phase__kind="build").first()
    tree.update_task(other, None, start_date=datetime.date(2026, 6, 1))
    client.force_login(member(process, "ana@example.org"))
    response = client.get(reverse("interlink_workspace:workplan", args=[process.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html.split("<main")[1]
    assert html.count('<th scope="col" class="il-month') >= 5 * 2  # Feb–Jun, in both tables
    row = html.split(task.title)[1].split("</tr>")[0]
    assert 'colspan="3" class="il-bar il-bar--planned"' in row
    assert "Without dates:" in html
    assert "workspace.css" in html


def test_workplan_cells_are_escaped_and_link_each_task(client, process, member):
    """Ensures that the workplan's rows (built in Python, not the template) escape task
    titles, link each task's page, mark the current month and a bar running past the last
    column, and list undated tasks as links."""
    today = timezone.localdate()
    task = Task.objects.filter(process=process, objective__phase__kind="design").first()
    tree.update_task(task, None, title="<b>Ask</b> & listen", start_date=today, end_date=today)
    long = Task.objects.filter(process=process, objective__phase__kind="build").first()
    tree.update_task(
        long, None, start_date=today, end_date=today + datetime.timedelta(days=365 * 6)
    )
    undated = Task.objects.filter(process=process, start_date=None, end_date=None).last()
    client.force_login(member(process, "ana@example.org"))
    html = client.get(reverse("interlink_workspace:workplan", args=[process.pk])).content.decode()
    task_url = reverse("interlink_workspace:task", args=[process.pk, task.pk])
    assert f'<a href="{task_url}">&lt;b&gt;Ask&lt;/b&gt; &amp; listen</a>' in html
    assert "<b>Ask</b>" not in html
    assert f'<time datetime="{today.isoformat()}">' in html
    assert '<th scope="col" class="il-month il-month--now">' in html
    assert "(this month)</span>" in html
    long_row = html.split(reverse("interlink_workspace:task", args=[process.pk, long.pk]))[1]
    assert " →</td>" in long_row.split("</tr>")[0]
    undated_url = reverse("interlink_workspace:task", args=[process.pk, undated.pk])
    assert f'<a href="{undated_url}">{escape(undated.title)}</a>' in "".join(
        html.split("Without dates:")[1:]
    )


def test_task_history_describes_each_change(client, process, member):
    """Ensures that a task's history names who changed what (no empty entries)."""
    ana = member(process, "ana@example.org", name="Ana")
    task = Task.objects.filter(process=process).first()
    tree.update_task(task, ana, status=WorkStatus.IN_PROGRESS)
    client.force_login(ana)
    html = client.get(
        reverse("interlink_workspace:task", args=[process.pk, task.pk])
    ).content.decode()
    history = html.split("History")[1]
    assert "Ana" in history and "changed a task" in history and "In progress" in history
