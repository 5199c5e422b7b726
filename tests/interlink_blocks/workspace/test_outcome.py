"""Closing the loop: when the Sustain phase is done, staff publish the chosen resources as
reusable assets whose provenance names the process, and a success story is drafted from the
process for them to edit and publish in Wagtail. Staff only; Wagtail's page permissions decide
where they may add and publish."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interlink_blocks.models import AssetPage, StoryPage
from interlink_blocks.workspace.models import Activity, Task, WorkStatus
from interlink_blocks.workspace.services import resources, tree


def outcome_url(process):
    return reverse("interlink_workspace_admin:outcome", args=[process.pk])


def finish_sustain(process):
    for task in Task.objects.filter(process=process, objective__phase__kind="sustain"):
        tree.update_task(task, None, status=WorkStatus.DONE)


@pytest.fixture
def resource(process, member):
    ana = member(process, "ana@example.org", team_role="civil_servant", name="Ana")
    member(process, "ben@example.org", team_role="citizen", name="Ben")
    task = Task.objects.filter(process=process).first()
    upload = SimpleUploadedFile("journey.pdf", b"%PDF-1.4 the journey map", "application/pdf")
    return resources.add_upload(
        task, "Journey map", "The request journey, step by step.", upload, ana
    )


def form_data(story_index, asset_index, *chosen, **extra):
    return {
        "story_parent": story_index.pk,
        "asset_parent": asset_index.pk,
        "resources": [r.pk for r in chosen],
        "form": "canvas",
        "licence": "CC-BY-4.0",
        **extra,
    }


def test_outcome_waits_for_the_sustain_phase(
    client, process, resource, staff, story_index, asset_index
):
    """Ensures that before every Sustain task is done the page explains why, and a POST
    answers 400 and creates nothing."""
    client.force_login(staff)
    html = client.get(outcome_url(process)).content.decode()
    assert "Sustain phase is done" in html and 'name="resources"' not in html
    response = client.post(outcome_url(process), form_data(story_index, asset_index, resource))
    assert response.status_code == 400
    assert not AssetPage.objects.exists() and not StoryPage.objects.exists()


def test_staff_publish_assets_and_draft_the_story(
    client, process, resource, staff, story_index, asset_index
):
    """Ensures that the chosen resource becomes a live asset (its latest file as a document,
    provenance naming the process, the call related, federated) and that a draft story links
    the call's process: team by role (no names), timeline per phase, the asset."""
    from interlink_federation.models import OutboxActivity

    finish_sustain(process)
    client.force_login(staff)
    assert 'name="resources"' in client.get(outcome_url(process)).content.decode()
    response = client.post(outcome_url(process), form_data(story_index, asset_index, resource))
    story = StoryPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    asset = AssetPage.objects.get()
    assert asset.live and asset.title == "Journey map" and asset.form == "canvas"
    assert process.call.title in asset.publisher
    assert list(asset.related_calls.all()) == [process.call]
    [document] = asset.attachments
    with document.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 the journey map"
    assert OutboxActivity.objects.filter(object_uri__contains=str(asset.uuid)).exists() or (
        OutboxActivity.objects.filter(document__object__name="Journey map").exists()
    )
    assert not story.live and story.has_unpublished_changes
    draft = story.get_latest_revision_as_object()
    assert list(draft.produced_assets.all()) == [asset]
    text = str(draft.results)
    assert "Civil servant" in text and "Citizen" in text and "Ana" not in text
    assert "Sustain" in text and "Journey map" in text
    resource.refresh_from_db()
    process.refresh_from_db()
    assert resource.published_asset_id == asset.pk and process.story_id == story.pk
    assert Activity.objects.filter(verb="outcome_published").exists()
    # Published once: the resource is no longer offered.
    html = client.get(outcome_url(process)).content.decode()
    assert "Journey map (" not in html and story.title in html


def test_team_members_are_not_staff(client, process, resource, member, story_index, asset_index):
    """Ensures that a process admin without Wagtail rights cannot publish the outcome."""
    finish_sustain(process)
    boss = member(process, "boss@example.org", role="admin", name="Boss")
    client.force_login(boss)
    response = client.post(outcome_url(process), form_data(story_index, asset_index, resource))
    assert response.status_code in (302, 403)
    assert not AssetPage.objects.exists() and not StoryPage.objects.exists()


def test_admin_user_without_page_rights_is_refused(
    client, process, resource, django_user_model, story_index, asset_index
):
    """Ensures that an admin user who may not edit the call is refused (Wagtail answers
    PermissionDenied with a redirect to the dashboard) and nothing is made."""
    finish_sustain(process)
    clerk = django_user_model.objects.create_user("clerk", password="x")
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    response = client.post(outcome_url(process), form_data(story_index, asset_index, resource))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not AssetPage.objects.exists() and not StoryPage.objects.exists()


def test_editors_who_may_not_publish_get_draft_assets(
    client, process, resource, django_user_model, story_index, asset_index
):
    """Ensures that Wagtail's page permissions apply: an editor who may add but not publish
    pages gets the assets as drafts, never live."""
    finish_sustain(process)
    editor = django_user_model.objects.create_user("ed", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.post(outcome_url(process), form_data(story_index, asset_index, resource))
    assert response.status_code == 302
    asset = AssetPage.objects.get()
    assert not asset.live
    assert not StoryPage.objects.get().live


def test_outcome_screen_speaks_the_staff_members_language(
    client, process, resource, staff, story_index, asset_index
):
    """Ensures that the outcome screen is translated (es, it, lv)."""
    client.force_login(staff)
    expected = {"es": "Publicar el resultado", "it": "Pubblica il risultato", "lv": "Publicēt"}
    for language, text in expected.items():
        html = client.get(outcome_url(process), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert text in html, language


def test_overview_offers_the_outcome_to_staff_only(client, process, member, staff):
    """Ensures that the workspace overview links staff to the outcome screen once the Sustain
    phase is done, and never shows that link to team members."""
    boss = member(process, "boss@example.org", role="admin", name="Boss")
    overview = reverse("interlink_workspace:overview", args=[process.pk])
    client.force_login(staff)
    assert outcome_url(process) not in client.get(overview).content.decode()
    finish_sustain(process)
    assert outcome_url(process) in client.get(overview).content.decode()
    client.force_login(boss)
    assert outcome_url(process) not in client.get(overview).content.decode()
