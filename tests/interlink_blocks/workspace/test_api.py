"""The workspace API: the same permissions as the pages, in the OpenAPI schema."""

from django.urls import reverse

from interlink_blocks.workspace.models import Task, WorkStatus
from interlink_blocks.workspace.services import tree


def urls(process):
    return [
        reverse("interlink_workspace_api:process", args=[process.pk]),
        reverse("interlink_workspace_api:members", args=[process.pk]),
        reverse("interlink_workspace_api:activity", args=[process.pk]),
    ]


def test_members_read_the_process_tree_team_and_log(client, process, member):
    """Ensures that a member reads the plan (with progress), the team and the log."""
    ana = member(process, "ana@example.org", name="Ana")
    task = Task.objects.filter(process=process).first()
    tree.update_task(task, ana, status=WorkStatus.DONE)
    client.force_login(ana)
    data = client.get(reverse("interlink_workspace_api:process", args=[process.pk])).json()
    assert data["your_role"] == "member" and data["call_title"] == process.call.title
    engage = data["phases"][0]
    assert engage["phase"] == "engage" and engage["done"] == 1
    assert engage["objectives"][0]["tasks"][0]["status"] == "done"
    members = client.get(reverse("interlink_workspace_api:members", args=[process.pk])).json()
    assert [m["name"] for m in members["results"]] == ["Ana"]
    log = client.get(reverse("interlink_workspace_api:activity", args=[process.pk])).json()
    assert log["results"][0]["actor"] == "Ana" and log["results"][0]["verb"] == "task_changed"


def test_outsiders_and_anonymous_get_403(client, process, member, make_call):
    """Ensures that the API refuses what the pages refuse."""
    for url in urls(process):
        assert client.get(url).status_code == 403, url
    other = tree.open_process(make_call(title="Another call", slug="another"))
    client.force_login(member(other, "x@example.org"))
    for url in urls(process):
        assert client.get(url).status_code == 403, url


def test_public_progress_for_anyone(client, process):
    data = client.get(reverse("interlink_workspace_api:progress", args=[process.pk])).json()
    assert data["total"] == Task.objects.filter(process=process).count()
    assert [p["phase"] for p in data["phases"]] == ["engage", "design", "build", "sustain"]


def test_in_the_openapi_schema(client, db):
    """Ensures that the endpoints are documented in the OpenAPI schema."""
    schema = client.get(reverse("interlink-openapi-schema"), {"format": "json"}).json()
    for path in ("/api/v1/processes/{process_id}/", "/api/v1/processes/{process_id}/activity/"):
        assert path in schema["paths"]
