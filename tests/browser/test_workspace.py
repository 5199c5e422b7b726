"""The workspace in a real browser: a team member signs in by mailed code and updates a task,
with JavaScript and without; axe-core and 320-px reflow on every workspace page in both
themes."""

import pytest
from django.core.cache import cache

from interlink_blocks.workspace.models import Objective, ProcessPhase, Task
from interlink_blocks.workspace.services import team, tree
from tests.support.accounts import last_code

from .conftest import format_violations
from .page_checks import reflow_problem

pytestmark = pytest.mark.browser

EMAIL = "ana@example.org"


@pytest.fixture
def workspace_site(seeded_site):
    """Ensures the seeded call has a process and that ana@example.org is invited to it as a
    process admin (so every form shows), not signed in yet."""
    cache.clear()
    process = tree.open_process(seeded_site.call)
    team.invite(process, EMAIL, role="admin", team_role="citizen", name="Ana")
    seeded_site.extra["process"] = process
    return seeded_site


def sign_in(page, site, email=EMAIL):
    """Signs in through the header link, the address form and the mailed code."""
    page.goto(site.url("/"))
    page.click(".site-account a")
    page.fill("#id_email", email)
    page.click("form.il-form button[type=submit]")
    page.wait_for_url("**/accounts/login/code/confirm/**")
    page.fill("#id_code", last_code(email))
    page.click("form.il-form button[type=submit]")
    page.wait_for_load_state()


def update_a_task(page, site, process):
    task = Task.objects.filter(process=process).order_by("pk").first()
    page.goto(site.url(f"/workspace/{process.pk}/plan/"))
    page.click(f"#task-{task.pk} > a")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_start_date", "2026-05-04")
    page.fill("#id_end_date", "2026-06-12")
    page.check("input[name=assignees]")
    page.click("form:has(input[value=progress]) button[type=submit]")
    page.wait_for_load_state()
    assert "The task was updated." in page.locator("[role=status]").inner_text()
    task.refresh_from_db()
    assert task.status == "in_progress" and str(task.end_date) == "2026-06-12"
    assert task.assignees.count() == 1
    return task


def test_member_signs_in_by_code_and_updates_a_task(workspace_site, page):
    """Ensures that an invited person signs in by the mailed code, lands in the team, and
    updates a task (status, dates, assignment) with JavaScript on."""
    process = workspace_site.extra["process"]
    sign_in(page, workspace_site)
    assert process.memberships.filter(user__email=EMAIL).exists()
    page.goto(workspace_site.url(workspace_site.call.url))
    page.click("text=Open the team's workspace")
    assert page.url.endswith(f"/workspace/{process.pk}/")
    update_a_task(page, workspace_site, process)


def test_the_same_flow_without_javascript(workspace_site, nojs_page):
    """Ensures that signing in by code and updating a task need no JavaScript."""
    sign_in(nojs_page, workspace_site)
    update_a_task(nojs_page, workspace_site, workspace_site.extra["process"])


@pytest.mark.parametrize("theme", ["civic", "contrast"])
def test_every_workspace_page_passes_axe_and_reflows(
    workspace_site, axe_page, axe, use_theme, theme
):
    """Ensures that the sign-in pages, the account page and every workspace page (with each
    form, an error state and a printed-style workplan) have no WCAG 2.1 A/AA violation and no
    horizontal scrolling at 320 px, in both themes."""
    use_theme(theme)
    process = workspace_site.extra["process"]
    page = axe_page
    problems = []

    def check(label):
        violations = axe(page)
        if violations:
            problems.append(f"{label}: {format_violations(violations)}")
        reflow = reflow_problem(page)
        if reflow:
            problems.append(f"{label}: reflow {reflow}")

    page.goto(workspace_site.url("/accounts/login/code/"))
    check("request code")
    page.fill("#id_email", "not an address")
    page.click("form.il-form button[type=submit]")
    check("request code, error")
    sign_in(page, workspace_site)
    task = Task.objects.filter(process=process).order_by("pk").first()
    tree.update_task(task, None, start_date=task.objective.process.opened_at.date())
    objective = Objective.objects.filter(process=process).first()
    phase = ProcessPhase.objects.filter(process=process).first()
    base = f"/workspace/{process.pk}"
    for label, path in [
        ("account", "/accounts/"),
        ("set password", "/accounts/password/set/"),
        ("overview", f"{base}/"),
        ("plan", f"{base}/plan/"),
        ("workplan", f"{base}/workplan/"),
        ("team", f"{base}/team/"),
        ("activity", f"{base}/activity/"),
        ("task", f"{base}/tasks/{task.pk}/"),
        ("objective", f"{base}/objectives/{objective.pk}/"),
        ("phase", f"{base}/phases/{phase.pk}/"),
        ("call page with progress", workspace_site.call.url),
    ]:
        page.goto(workspace_site.url(path))
        check(label)
    page.goto(workspace_site.url(f"{base}/tasks/{task.pk}/"))
    page.fill("#id_end_date", "2000-01-01")
    page.fill("#id_start_date", "2001-01-01")
    page.click("form:has(input[value=progress]) button[type=submit]")
    check("task, error")
    page.goto(workspace_site.url(f"{base}/workplan/"))
    page.emulate_media(media="print")
    assert page.locator(".il-workspace-nav").is_hidden()
    page.emulate_media(media="screen")
    assert not problems, "\n".join(problems)
