"""Editing calls and assets through the real Wagtail admin views."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Revision, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from interlink_blocks.models import AssetPage, CallPage, Sector, StoryPage

from .admin_forms import asset_form_data, call_form_data


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def add_url(model: str, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("interlink_blocks", model, parent.pk))


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def table_form_data(caption="Budget per district", headings=("District", "Budget")) -> dict:
    """A typed table block as the editor posts it: one row, text columns."""
    columns = {
        str(index): {"type": "text", "order": str(index), "heading": heading, "deleted": ""}
        for index, heading in enumerate(headings)
    }
    return {
        "caption": caption,
        "column": {"count": str(len(headings)), **columns},
        "row": {"count": "1", "0": {"order": "0", "deleted": ""}},
        "cell": {"0": {str(index): f"value {index}" for index in range(len(headings))}},
    }


def assert_no_form_errors(response):
    if response.status_code == 200 and "context" in dir(response) and response.context:
        form = response.context.get("form")
        if form is not None:
            pytest.fail(f"form errors: {form.errors.as_json()}")


def test_create_call_as_draft_then_publish_edit_and_unpublish(editor_client, call_index, client):
    """Ensures that a call can be created, published, edited and unpublished in the admin."""
    health = Sector.objects.get(slug="social-health-care")
    response = editor_client.post(
        add_url("callpage", call_index), call_form_data(sectors=[str(health.pk)])
    )
    assert_no_form_errors(response)
    assert response.status_code == 302
    call = CallPage.objects.get(slug="home-care-requests")
    assert not call.live  # saved as a draft
    assert list(call.sectors.all()) == [health]
    assert [block.value["phase"] for block in call.coproduction_schema] == [
        "engage",
        "design",
        "build",
        "sustain",
    ]
    assert client.get("/calls/home-care-requests/").status_code == 404

    response = editor_client.post(edit_url(call), call_form_data(**{"action-publish": "publish"}))
    assert_no_form_errors(response)
    call.refresh_from_db()
    assert call.live
    public = client.get(call.url)
    assert public.status_code == 200
    assert "Redesign the home-care request service" in public.content.decode()

    response = editor_client.post(
        edit_url(call),
        call_form_data(title="Redesign how residents request home care", **{"action-publish": "1"}),
    )
    assert_no_form_errors(response)
    call.refresh_from_db()
    assert call.title == "Redesign how residents request home care"
    assert "Redesign how residents request home care" in client.get(call.url).content.decode()

    response = editor_client.post(reverse("wagtailadmin_pages:unpublish", args=(call.pk,)))
    assert response.status_code == 302
    call.refresh_from_db()
    assert not call.live
    assert client.get("/calls/home-care-requests/").status_code == 404


def test_create_and_publish_an_asset_with_a_document(
    editor_client, asset_index, client, tmp_path, settings
):
    """Ensures that an asset with an attached Wagtail document is published and unpublished in the admin."""
    settings.MEDIA_ROOT = tmp_path
    document = get_document_model()(title="Blueprint (Markdown)")
    document.file.save("blueprint.md", ContentFile(b"# Blueprint\n"), save=True)
    response = editor_client.post(
        add_url("assetpage", asset_index),
        asset_form_data(documents=[document.pk], **{"action-publish": "publish"}),
    )
    assert_no_form_errors(response)
    asset = AssetPage.objects.get(slug="home-care-blueprint")
    assert asset.live
    assert asset.attachments == [document]
    assert asset.languages == ["en", "it"]
    html = client.get(asset.url).content.decode()
    assert "Blueprint (Markdown)" in html and 'rel="license"' in html

    response = editor_client.post(
        edit_url(asset),
        asset_form_data(documents=[document.pk], version="1.1", **{"action-publish": "1"}),
    )
    assert_no_form_errors(response)
    asset.refresh_from_db()
    assert asset.version == "1.1"
    uuid = asset.uuid
    editor_client.post(reverse("wagtailadmin_pages:unpublish", args=(asset.pk,)))
    asset.refresh_from_db()
    assert not asset.live and asset.uuid == uuid  # the identity survives edits
    assert client.get("/assets/home-care-blueprint/").status_code == 404


def test_preview_of_an_unsaved_call(editor_client, call_index):
    """Ensures that the admin previews a call from unsaved form data, rendered with its template."""
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("interlink_blocks", "callpage", call_index.pk),
    )
    response = editor_client.post(preview_url, call_form_data(title="A call in preview"))
    assert response.json()["is_valid"] is True
    response = editor_client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>A call in preview</h1>" in html and 'aria-current="step"' in html
    assert not CallPage.objects.exists()


def test_edits_are_kept_as_revisions_that_can_be_viewed(editor_client, make_call):
    """Ensures that each save is a revision listed in the history and viewable on its own."""
    call = make_call()
    editor_client.post(edit_url(call), call_form_data(slug=call.slug, title="Second version"))
    editor_client.post(edit_url(call), call_form_data(slug=call.slug, title="Third version"))
    revisions = Revision.page_revisions.filter(object_id=str(call.pk)).order_by("created_at")
    assert revisions.count() == 3
    assert revisions.last().as_object().title == "Third version"
    call.refresh_from_db()
    assert (
        call.title == "Redesign the home-care request service"
    )  # drafts leave the live page alone
    history = editor_client.get(reverse("wagtailadmin_pages:history", args=(call.pk,)))
    assert history.status_code == 200
    first = revisions.first()
    view = editor_client.get(reverse("wagtailadmin_pages:revisions_view", args=(call.pk, first.pk)))
    assert view.status_code == 200
    assert "Redesign the home-care request service" in view.content.decode()


def test_call_goes_through_moderation_workflow(editor_client, call_index, admin_user):
    """Ensures that submitting a call starts Wagtail's moderation workflow and approval publishes it."""
    workflow = Workflow.objects.get(name="Moderators approval")
    assert workflow.workflow_pages.filter(page__depth=1).exists()  # applies to the whole tree
    response = editor_client.post(
        add_url("callpage", call_index), call_form_data(**{"action-submit": "1"})
    )
    assert_no_form_errors(response)
    call = CallPage.objects.get(slug="home-care-requests")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(call.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not call.live
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(call.pk, "approve", state.current_task_state.pk),
    )
    response = editor_client.post(approve, {"comment": "Looks good"})
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    call.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert call.live


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"deadline": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
            "deadline",
            "The deadline must come after the opening date.",
        ),
        (
            {"participant_types": []},
            "participant_types",
            "An open call must say who may take part.",
        ),
        ({"participant_types": ["aliens"]}, "participant_types", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_invalid_call_shows_errors_in_the_form(
    editor_client, call_index, overrides, field, message
):
    """Ensures that an invalid call re-displays the form (200) with the error, and saves nothing."""
    response = editor_client.post(add_url("callpage", call_index), call_form_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert "The page could not be created due to validation errors" in response.content.decode()
    assert not CallPage.objects.exists()


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            ("contact", {"name": "", "role": "", "email": "", "phone": "", "address": ""}),
            "This field is required.",
        ),
        (
            ("contact", {"name": "Elena", "role": "", "email": "", "phone": "", "address": ""}),
            "Give at least one way to get in touch",
        ),
        (
            (
                "call_to_action",
                {"title": "Join", "text": "", "page": "", "url": "", "button_label": "Go"},
            ),
            "Choose either a page or an external link.",
        ),
        (
            ("key_figures", {"heading": "", "figures": {"count": "0"}}),
            "The minimum number of items is 1",
        ),
        (("heading", {"text": "Title", "level": "h1"}), "Select a valid choice."),
        (("table", table_form_data(caption="")), "Give the table a caption"),
        (("table", table_form_data(headings=("District", ""))), "Give every column a heading."),
    ],
)
def test_bad_block_values_show_errors_in_the_form(editor_client, call_index, block, message):
    """Ensures that a bad block in the body is reported in the editor (200, error text), not a traceback."""
    # Publishing: Wagtail defers "required" checks of blocks when only a draft is saved.
    form_data = call_form_data(body=[block], **{"action-publish": "1"})
    response = editor_client.post(add_url("callpage", call_index), form_data)
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    assert message in str(errors.as_data()[0].as_json_data())
    html = response.content.decode()
    assert "The page could not be created due to validation errors" in html
    # The block editor's error data travels in the page for the editor to show by the block.
    assert message in html
    assert not CallPage.objects.exists()


def test_a_draft_may_keep_a_table_without_caption_until_it_is_published(editor_client, call_index):
    """Ensures that "Save draft" keeps a captionless table (as Wagtail defers required values)
    while publishing asks for the caption."""
    form_data = call_form_data(body=[("table", table_form_data(caption=""))])
    response = editor_client.post(add_url("callpage", call_index), form_data)
    assert_no_form_errors(response)
    call = CallPage.objects.get(slug="home-care-requests")
    assert call.get_latest_revision_as_object().body[0].value.caption == ""
    publish = call_form_data(
        body=[("table", table_form_data(caption="Budget per district"))],
        **{"action-publish": "1"},
    )
    response = editor_client.post(edit_url(call), publish)
    assert_no_form_errors(response)
    call.refresh_from_db()
    assert call.live and call.body[0].value.caption == "Budget per district"


def test_bad_task_dates_in_the_schema_are_refused(editor_client, call_index):
    """Ensures that a schema task ending before it starts is refused with a message on that task."""
    from interlink_blocks.blocks import default_schema

    from .admin_forms import schema_form_data

    schema = default_schema()
    task = schema[0]["value"]["objectives"][0]["tasks"][0]
    task["start_date"], task["end_date"] = "2026-05-10", "2026-05-01"
    response = editor_client.post(
        add_url("callpage", call_index),
        call_form_data(coproduction_schema=schema_form_data(schema)),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["coproduction_schema"]
    assert "The end must not come before the start." in str(errors.as_data()[0].as_json_data())


@pytest.fixture
def staff_without_page_rights(django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_user_without_page_permission_is_refused(
    client, staff_without_page_rights, make_call, call_index
):
    """Ensures that an admin user without page permissions can neither add nor edit nor unpublish calls."""
    call = make_call()
    client.force_login(staff_without_page_rights)
    for url in (add_url("callpage", call_index), edit_url(call)):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post(add_url("callpage", call_index), call_form_data(slug="sneaky"))
    client.post(reverse("wagtailadmin_pages:unpublish", args=(call.pk,)))
    assert not CallPage.objects.filter(slug="sneaky").exists()
    call.refresh_from_db()
    assert call.live


def test_editor_may_draft_but_not_publish(client, django_user_model, call_index):
    """Ensures that a member of Wagtail's Editors group saves a draft but cannot publish a call."""
    user = django_user_model.objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    client.post(add_url("callpage", call_index), call_form_data(**{"action-publish": "1"}))
    call = CallPage.objects.get(slug="home-care-requests")
    assert not call.live


def test_every_interlink_editor_form_opens(
    editor_client, home, call_index, asset_index, story_index, make_call, make_asset
):
    """Ensures that the add and edit forms of every Interlink page type and taxonomy open without error."""
    parents = {
        "callpage": call_index,
        "assetpage": asset_index,
        "storypage": story_index,
        "informationpage": home,
        "callindexpage": home,
    }
    for model, parent in parents.items():
        assert editor_client.get(add_url(model, parent)).status_code == 200, model
    for page in (make_call(), make_asset(), call_index, asset_index, story_index, home):
        assert editor_client.get(edit_url(page)).status_code == 200, page
    for model in ("sector", "lifeevent", "governancemodel"):
        url = reverse(f"wagtailsnippets_interlink_blocks_{model}:list")
        assert editor_client.get(url).status_code == 200, model


def test_create_and_publish_a_story_linking_a_call_and_its_assets(
    editor_client, story_index, make_call, make_asset, client
):
    """Ensures that a success story linking a completed call to its assets is published in the admin."""
    call = make_call(status="completed", phase="sustain")
    asset = make_asset()
    data = nested_form_data(
        {
            "title": "Quiet rooms after school",
            "slug": "quiet-rooms",
            "summary": "Pupils found a place to study.",
            "call": str(call.pk),
            "results": streamfield([("paragraph", rich_text("<p>310 pupils registered.</p>"))]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    data["produced_assets"] = [str(asset.pk)]
    response = editor_client.post(add_url("storypage", story_index), data)
    assert_no_form_errors(response)
    story = StoryPage.objects.get(slug="quiet-rooms")
    assert story.live and story.call == call and list(story.produced_assets.all()) == [asset]
    html = client.get(story.url).content.decode()
    assert call.title in html and asset.title in html and "310 pupils registered." in html
