"""The workspace in a real browser: a team member signs in by mailed code and updates a task,
with JavaScript and without; axe-core and 320-px reflow on every workspace page in both
themes."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from interlink_blocks.workspace.models import (
    Claim,
    Message,
    Objective,
    ProcessPhase,
    Resource,
    Task,
)
from interlink_blocks.workspace.services import team, tree
from tests.support.accounts import last_code

from .conftest import format_violations
from .page_checks import reflow_problem

pytestmark = pytest.mark.browser

User = get_user_model()

EMAIL = "ana@example.org"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Ensures uploads go to a temporary private folder."""
    settings.WORKSPACE_PRIVATE_ROOT = str(tmp_path / "private")


@pytest.fixture
def workspace_site(seeded_site):
    """Ensures the seeded call has a process and that ana@example.org is invited to it as a
    process admin (so every form shows), not signed in yet."""
    cache.clear()
    process = tree.open_process(seeded_site.call)
    team.invite(process, EMAIL, role="admin", team_role="citizen", name="Ana")
    ben = User.objects.create_user("ben", "ben@example.org")
    team.add_member(process, ben, team_role="business", name="Ben Ortiz")
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


def upload_a_version_and_claim(page, site, process, task, tmp_path):
    """Attaches a document to the task, uploads its second version, claims a contribution."""
    first, second = tmp_path / "blueprint.pdf", tmp_path / "blueprint-v2.pdf"
    first.write_bytes(b"%PDF-1.4 first")
    second.write_bytes(b"%PDF-1.4 second")
    page.goto(site.url(f"/workspace/{process.pk}/tasks/{task.pk}/"))
    page.click("text=Add a document, a link or a copy of an asset")
    page.fill("#id_name", "Service blueprint")
    page.set_input_files("#id_file", str(first))
    page.click("form:has(input[value=upload]) button[type=submit]")
    page.wait_for_load_state()
    page.set_input_files("#id_file", str(second))
    page.fill("#id_note", "Phone channel added")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "Version 2 was added." in page.locator("[role=status]").inner_text()
    resource = Resource.objects.get(name="Service blueprint")
    assert resource.versions.count() == 2
    page.click("text=Claim your contribution")
    page.check("input[name=kind][value=drafted]")
    page.fill("#id_note", "I drew the first blueprint")
    page.click("form.il-form button[type=submit]")
    page.wait_for_load_state()
    assert "Your claim was sent" in page.locator("[role=status]").inner_text()
    assert Claim.objects.get().note == "I drew the first blueprint"


def discuss_and_mention(page, site, process, task):
    """Opens the task's discussion, posts a message mentioning Ben, who is mailed at once."""
    mail.outbox.clear()
    page.goto(site.url(f"/workspace/{process.pk}/tasks/{task.pk}/"))
    page.click("text=Open the discussion")
    page.fill("#id_body", "@Ben Ortiz can you check the <b>blueprint</b>?")
    page.click("form.il-form button[type=submit]")
    page.wait_for_load_state()
    assert "Your message was posted." in page.locator("[role=status]").inner_text()
    message = Message.objects.get(task=task)
    assert message.body == "@Ben Ortiz can you check the blueprint?"
    assert [m.name for m in message.mentions.all()] == ["Ben Ortiz"]
    assert "can you check the blueprint?" in page.locator(f"#message-{message.pk}").inner_text()
    assert any(m.to == ["ben@example.org"] for m in mail.outbox)


def test_member_signs_in_by_code_and_updates_a_task(workspace_site, page, tmp_path):
    """Ensures that an invited person signs in by the mailed code, lands in the team, and
    updates a task (status, dates, assignment) with JavaScript on."""
    process = workspace_site.extra["process"]
    sign_in(page, workspace_site)
    assert process.memberships.filter(user__email=EMAIL).exists()
    page.goto(workspace_site.url(workspace_site.call.url))
    page.click("text=Open the team's workspace")
    assert page.url.endswith(f"/workspace/{process.pk}/")
    task = update_a_task(page, workspace_site, process)
    upload_a_version_and_claim(page, workspace_site, process, task, tmp_path)
    discuss_and_mention(page, workspace_site, process, task)


def test_the_same_flow_without_javascript(workspace_site, nojs_page, tmp_path):
    """Ensures that signing in by code, updating a task, uploading a version and claiming a
    contribution need no JavaScript."""
    process = workspace_site.extra["process"]
    sign_in(nojs_page, workspace_site)
    task = update_a_task(nojs_page, workspace_site, process)
    upload_a_version_and_claim(nojs_page, workspace_site, process, task, tmp_path)
    discuss_and_mention(nojs_page, workspace_site, process, task)


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
        ("add a resource", f"{base}/tasks/{task.pk}/resources/"),
        ("claim", f"{base}/tasks/{task.pk}/claim/"),
        ("contributions", f"{base}/contributions/"),
        ("leaderboard", f"{base}/leaderboard/"),
        ("discussion, empty", f"{base}/tasks/{task.pk}/discussion/"),
        ("notifications", f"{base}/notifications/"),
    ]:
        page.goto(workspace_site.url(path))
        check(label)
    page.goto(workspace_site.url(f"{base}/tasks/{task.pk}/"))
    page.fill("#id_end_date", "2000-01-01")
    page.fill("#id_start_date", "2001-01-01")
    page.click("form:has(input[value=progress]) button[type=submit]")
    check("task, error")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from interlink_blocks.workspace.services import claims, resources

    resource = resources.add_upload(
        task, "Blueprint", "", SimpleUploadedFile("b.pdf", b"%PDF-1.4"), None
    )
    ana = process.memberships.get(user__email=EMAIL)
    claims.claim(ana, task, "drafted", "First draft")
    from interlink_blocks.workspace.access import access_for
    from interlink_blocks.workspace.services import discussion

    ben = process.memberships.get(name="Ben Ortiz")
    said = discussion.post(task, access_for(ben.user, process), "@Ana the draft is up.\nThanks!")
    hidden = discussion.post(task, access_for(ben.user, process), "Off-topic")
    discussion.hide(hidden, "Off topic", None)
    for label, path in [
        ("resource", f"{base}/resources/{resource.pk}/"),
        ("contributions with a claim", f"{base}/contributions/"),
        ("discussion with a visible and a hidden message", f"{base}/tasks/{task.pk}/discussion/"),
        ("report a message", f"{base}/messages/{said.pk}/report/"),
        ("hide a message", f"{base}/messages/{said.pk}/moderate/"),
    ]:
        page.goto(workspace_site.url(path))
        check(label)
    page.click("button[type=submit]:has-text('Hide the message')")
    check("hide a message, error (no reason)")
    page.goto(workspace_site.url(f"{base}/tasks/{task.pk}/discussion/"))
    page.click("form.il-form button[type=submit]")
    check("discussion, error (empty message)")
    page.goto(workspace_site.url(f"{base}/tasks/{task.pk}/resources/"))
    page.fill("#id_name", "Page")
    page.set_input_files(
        "#id_file", files=[{"name": "x.html", "mimeType": "text/html", "buffer": b"<p>"}]
    )
    page.click("form:has(input[value=upload]) button[type=submit]")
    check("upload refused")
    page.goto(workspace_site.url(f"{base}/workplan/"))
    page.emulate_media(media="print")
    assert page.locator(".il-workspace-nav").is_hidden()
    page.emulate_media(media="screen")
    assert not problems, "\n".join(problems)
