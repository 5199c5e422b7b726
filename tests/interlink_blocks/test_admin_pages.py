"""Assets and stories in the real Wagtail admin: previews, revisions, moderation, validation.

A page built from form data or from a revision holds its many-to-many relations in
memory (modelcluster's ``FakeQuerySet``), so these views exercise other code paths
than the public page does.
"""

import re

import pytest
from django.urls import reverse
from wagtail.models import Revision, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from interlink_blocks.models import AssetPage, StoryPage

from .admin_forms import asset_form_data


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def add_url(model: str, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("interlink_blocks", model, parent.pk))


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def story_form_data(call=None, assets=(), results=(), **overrides) -> dict:
    """A valid story, as an editor fills the add form."""
    data = {
        "title": "Quiet rooms after school",
        "slug": "quiet-rooms",
        "summary": "Pupils found a place to study.",
        "call": str(call.pk) if call else "",
        "results": streamfield(list(results)),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    multiple = {"produced_assets": [str(asset.pk) for asset in assets]}
    for key in list(overrides):
        if isinstance(overrides[key], list):
            multiple[key] = overrides.pop(key)
    data.update(overrides)
    flat = nested_form_data(data)
    flat.update(multiple)
    return flat


def page_html(response) -> str:
    assert response.status_code == 200, response.content[-2000:]
    return response.content.decode()


def preview(client, url: str, data: dict) -> str:
    """Posts the editor's form data to a preview URL, then renders the preview as the admin does."""
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"] is True, response.json()
    return page_html(client.get(url))


@pytest.fixture
def linked(make_call, make_asset):
    """A live completed call, a live asset and a never-published call that must not show."""
    return {
        "call": make_call(
            title="Library learning spaces", slug="libraries", status="completed", phase="sustain"
        ),
        "asset": make_asset(title="Study room booking guide", slug="booking-guide"),
        "draft_call": make_call(title="Unpublished idea", slug="idea", publish=False),
    }


def related_calls_section(html: str) -> str:
    start = html.index('id="related-calls"')
    return html[start : html.index("</section>", start)]


def produced_assets_section(html: str) -> str:
    start = html.index('id="produced-assets"')
    return html[start : html.index("</section>", start)]


# --- previews, revisions, drafts and moderation (Wagtail builds the page in memory) ---


def test_asset_preview_on_add_and_on_edit_lists_live_related_calls(
    editor_client, asset_index, linked
):
    """Ensures that previewing a new and an existing asset shows its live related calls only."""
    related = [str(linked["call"].pk), str(linked["draft_call"].pk)]
    on_add = reverse(
        "wagtailadmin_pages:preview_on_add", args=("interlink_blocks", "assetpage", asset_index.pk)
    )
    html = preview(editor_client, on_add, asset_form_data(related_calls=related))
    assert "<h1>Home-care service blueprint</h1>" in html
    section = related_calls_section(html)
    assert "Library learning spaces" in section and "Unpublished idea" not in section
    assert not AssetPage.objects.filter(slug="home-care-blueprint").exists()

    editor_client.post(add_url("assetpage", asset_index), asset_form_data())
    asset = AssetPage.objects.get(slug="home-care-blueprint")
    on_edit = reverse("wagtailadmin_pages:preview_on_edit", args=(asset.pk,))
    html = preview(
        editor_client,
        on_edit,
        asset_form_data(title="Blueprint, second draft", related_calls=related),
    )
    assert "<h1>Blueprint, second draft</h1>" in html
    assert "Library learning spaces" in related_calls_section(html)


def test_story_preview_on_add_and_on_edit_lists_the_call_and_live_assets(
    editor_client, story_index, linked, make_asset
):
    """Ensures that previewing a new and an existing story shows its call and its live assets."""
    draft_asset = make_asset(title="Draft canvas", slug="draft-canvas", publish=False)
    assets = [linked["asset"], draft_asset]
    on_add = reverse(
        "wagtailadmin_pages:preview_on_add", args=("interlink_blocks", "storypage", story_index.pk)
    )
    html = preview(editor_client, on_add, story_form_data(call=linked["call"], assets=assets))
    assert "<h1>Quiet rooms after school</h1>" in html
    assert "Library learning spaces" in html  # "From the co-production call …"
    section = produced_assets_section(html)
    assert "Study room booking guide" in section and "Draft canvas" not in section
    assert not StoryPage.objects.exists()

    editor_client.post(add_url("storypage", story_index), story_form_data(call=linked["call"]))
    story = StoryPage.objects.get(slug="quiet-rooms")
    on_edit = reverse("wagtailadmin_pages:preview_on_edit", args=(story.pk,))
    html = preview(
        editor_client,
        on_edit,
        story_form_data(call=linked["call"], assets=assets, title="Quiet rooms, one year on"),
    )
    assert "<h1>Quiet rooms, one year on</h1>" in html
    assert "Study room booking guide" in produced_assets_section(html)


def test_asset_revisions_and_draft_can_be_viewed(editor_client, asset_index, linked):
    """Ensures that an asset's old revision and its unpublished draft render with their related calls."""
    call = str(linked["call"].pk)
    editor_client.post(
        add_url("assetpage", asset_index),
        asset_form_data(related_calls=[call], **{"action-publish": "1"}),
    )
    asset = AssetPage.objects.get(slug="home-care-blueprint")
    editor_client.post(edit_url(asset), asset_form_data(title="Blueprint v2", related_calls=[call]))
    first = Revision.page_revisions.filter(object_id=str(asset.pk)).order_by("created_at").first()

    old = editor_client.get(reverse("wagtailadmin_pages:revisions_view", args=(asset.pk, first.pk)))
    html = page_html(old)
    assert "<h1>Home-care service blueprint</h1>" in html
    assert "Library learning spaces" in related_calls_section(html)

    html = page_html(editor_client.get(reverse("wagtailadmin_pages:view_draft", args=(asset.pk,))))
    assert "<h1>Blueprint v2</h1>" in html
    assert "Library learning spaces" in related_calls_section(html)


def test_story_revisions_and_draft_can_be_viewed(editor_client, story_index, linked):
    """Ensures that a story's old revision and its unpublished draft render with their assets."""
    data = story_form_data(call=linked["call"], assets=[linked["asset"]], **{"action-publish": "1"})
    editor_client.post(add_url("storypage", story_index), data)
    story = StoryPage.objects.get(slug="quiet-rooms")
    editor_client.post(
        edit_url(story),
        story_form_data(call=linked["call"], assets=[linked["asset"]], title="One year on"),
    )
    first = Revision.page_revisions.filter(object_id=str(story.pk)).order_by("created_at").first()

    old = editor_client.get(reverse("wagtailadmin_pages:revisions_view", args=(story.pk, first.pk)))
    html = page_html(old)
    assert "<h1>Quiet rooms after school</h1>" in html
    assert "Study room booking guide" in produced_assets_section(html)

    html = page_html(editor_client.get(reverse("wagtailadmin_pages:view_draft", args=(story.pk,))))
    assert "<h1>One year on</h1>" in html
    assert "Study room booking guide" in produced_assets_section(html)


def test_moderator_reviews_a_submitted_asset(editor_client, asset_index, linked):
    """Ensures that a moderator can preview an asset submitted to the workflow, then approve it."""
    assert Workflow.objects.get(name="Moderators approval").workflow_pages.exists()
    editor_client.post(
        add_url("assetpage", asset_index),
        asset_form_data(related_calls=[str(linked["call"].pk)], **{"action-submit": "1"}),
    )
    asset = AssetPage.objects.get(slug="home-care-blueprint")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(asset.pk))
    task = state.current_task_state.task
    review = editor_client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=(asset.pk, task.pk))
    )
    html = page_html(review)
    assert "<h1>Home-care service blueprint</h1>" in html
    assert "Library learning spaces" in related_calls_section(html)

    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(asset.pk, "approve", state.current_task_state.pk),
    )
    editor_client.post(approve, {"comment": "Fine"})
    asset.refresh_from_db()
    assert asset.live


# --- validation errors editors meet (a re-displayed form, never a traceback) ---


def assert_form_error(response, field: str, message: str) -> None:
    """The add/edit view answered 200 with ``message`` on ``field``, shown in the page."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors[field] if field in form.errors else []
    assert message in " ".join(str(error) for error in errors), form.errors.as_json()
    html = response.content.decode()
    assert "could not be" in html and "due to validation errors" in html
    assert message.replace("'", "&#x27;") in html


@pytest.fixture
def photo(settings, tmp_path):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "#336699").save(buffer, format="PNG")
    image = get_image_model()(title="Workshop", file=ImageFile(buffer, name="workshop.png"))
    image.save()
    return image


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        # Publishing: on "Save draft" Wagtail defers required-field checks.
        ({"form": "", "action-publish": "1"}, "form", "This field is required."),
        ({"licence": "WTFPL"}, "licence", "Select a valid choice."),
        ({"languages": ["klingon"]}, "languages", "Select a valid choice."),
        ({"target_users": ["robots"]}, "target_users", "Select a valid choice."),
        ({"summary": "x" * 601}, "summary", "Ensure this value has at most 600 characters"),
        ({"source_url": "not a url at all"}, "source_url", "Enter a valid URL."),
    ],
)
def test_invalid_asset_shows_errors_in_the_form(
    editor_client, asset_index, overrides, field, message
):
    """Ensures that an invalid asset re-displays the form with the error, and saves nothing."""
    response = editor_client.post(add_url("assetpage", asset_index), asset_form_data(**overrides))
    assert_form_error(response, field, message)
    assert not AssetPage.objects.exists()


def test_asset_image_without_alt_text_is_refused(editor_client, asset_index, photo):
    """Ensures that publishing an image row without alt text reports it on that row, not as a crash."""
    images = inline_formset([{"image": str(photo.pk), "alt_text": "", "caption": "", "id": ""}])
    data = asset_form_data(images=images, **{"action-publish": "1"})
    response = editor_client.post(add_url("assetpage", asset_index), data)
    assert response.status_code == 200
    image_errors = response.context["form"].formsets["images"].errors
    assert image_errors[0]["alt_text"] == ["This field is required."]
    assert "The page could not be created due to validation errors" in response.content.decode()
    assert not AssetPage.objects.exists()


def test_invalid_story_shows_errors_in_the_form(editor_client, story_index, make_asset):
    """Ensures that a story without title, or with a bad block in its results, shows the errors."""
    response = editor_client.post(add_url("storypage", story_index), story_form_data(title=""))
    assert_form_error(response, "title", "This field is required.")
    contact = ("contact", {"name": "Elena", "role": "", "email": "", "phone": "", "address": ""})
    data = story_form_data(results=[contact], **{"action-publish": "1"})
    response = editor_client.post(add_url("storypage", story_index), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["results"]
    assert "Give at least one way to get in touch" in str(errors.as_data()[0].as_json_data())
    assert not StoryPage.objects.exists()


# --- a story links a completed call ---


def test_story_must_link_a_completed_call(editor_client, story_index, make_call):
    """Ensures that the story form offers only completed calls and refuses any other clearly."""
    completed = make_call(title="Library learning spaces", slug="libraries", status="completed")
    still_open = make_call(title="Home care", slug="home-care", status="open")

    form_page = page_html(editor_client.get(add_url("storypage", story_index)))
    start = form_page.index('name="call"')
    select = form_page[start : form_page.index("</select>", start)]
    assert "Library learning spaces" in select and "Home care" not in select

    response = editor_client.post(
        add_url("storypage", story_index), story_form_data(call=still_open)
    )
    assert_form_error(response, "call", "A story tells how a completed call turned out")
    assert not StoryPage.objects.exists()

    response = editor_client.post(
        add_url("storypage", story_index), story_form_data(call=completed)
    )
    assert response.status_code == 302
    story = StoryPage.objects.get(slug="quiet-rooms")
    assert story.call == completed


def test_story_whose_call_was_reopened_explains_what_to_fix(editor_client, story_index, make_call):
    """Ensures that editing a story whose call is no longer completed keeps the call in the form
    and says why it cannot be saved, instead of silently dropping the link."""
    call = make_call(title="Library learning spaces", slug="libraries", status="completed")
    editor_client.post(add_url("storypage", story_index), story_form_data(call=call))
    story = StoryPage.objects.get(slug="quiet-rooms")
    call.status = "in_progress"
    call.save_revision().publish()

    form_page = page_html(editor_client.get(edit_url(story)))
    assert re.search(
        rf'<option value="{call.pk}" selected>Library learning spaces</option>', form_page
    )
    response = editor_client.post(edit_url(story), story_form_data(call=call, title="Later"))
    assert_form_error(response, "call", "A story tells how a completed call turned out")
    story.refresh_from_db()
    assert story.title == "Quiet rooms after school"


def test_model_refuses_a_story_of_a_call_not_completed(story_index, make_call):
    """Ensures that the model itself refuses a story whose call is not completed (outside the admin too)."""
    from django.core.exceptions import ValidationError

    call = make_call(status="open")
    story = StoryPage(title="Too early", slug="too-early", summary="Not yet.", call=call)
    with pytest.raises(ValidationError) as error:
        story_index.add_child(instance=story)
    assert "call" in error.value.message_dict
