"""Copies, aliases and translations made in the admin each get their own UUID.

The UUID is a page's identity across nodes (DRF API, federation, reuse), so no two pages
may share one, and the original keeps its own whatever is made from it.
"""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from interlink_blocks.models import AssetPage, CallPage, StoryPage

from .admin_forms import call_form_data


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def originals(make_call, make_asset, story_index):
    """A live call, asset and story, each with a UUID of its own."""
    call = make_call(status="completed", phase="sustain")
    asset = make_asset()
    asset.related_calls = [call]
    asset.save_revision().publish()
    story = story_index.add_child(
        instance=StoryPage(title="Quiet rooms", slug="quiet-rooms", summary="It worked.", call=call)
    )
    story.produced_assets = [asset]
    story.save_revision().publish()
    return {"call": call, "asset": asset, "story": story}


def copy_in_admin(client, page, slug: str, **options):
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        {
            "new_title": f"{page.title} (copy)",
            "new_slug": slug,
            "new_parent_page": str(page.get_parent().pk),
            **options,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Page.objects.get(slug=slug, depth=page.depth).specific


@pytest.mark.parametrize("kind", ["call", "asset", "story"])
def test_copy_and_alias_get_new_uuids(editor_client, originals, kind):
    """Ensures that "Copy" and "Copy" → "Alias" each create a page with a UUID of its own."""
    original = originals[kind]
    identity = original.uuid

    copy = copy_in_admin(editor_client, original, "plain-copy", publish_copies="on")
    alias = copy_in_admin(editor_client, original, "alias-copy", alias="on")

    assert alias.alias_of_id == original.pk and alias.live
    uuids = {identity, copy.uuid, alias.uuid}
    assert len(uuids) == 3
    original.refresh_from_db()
    assert original.uuid == identity
    assert type(original).objects.get(uuid=alias.uuid).pk == alias.pk


def test_alias_keeps_its_uuid_when_the_original_is_republished(editor_client, originals):
    """Ensures that publishing an aliased call updates the alias's content but not its identity."""
    call = originals["call"]
    alias = copy_in_admin(editor_client, call, "alias-copy", alias="on")
    own = alias.uuid

    form = call_form_data(
        slug=call.slug,
        title="Library learning spaces, finished",
        status="completed",
        phase="sustain",
        **{"action-publish": "1"},
    )
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=(call.pk,)), form)
    assert response.status_code == 302
    alias.refresh_from_db()
    call.refresh_from_db()
    assert alias.title == "Library learning spaces, finished"  # Wagtail updated the alias
    assert alias.uuid == own != call.uuid
    # The API finds each by its own UUID.
    assert editor_client.get(f"/api/v1/calls/{own}/").json()["url"].endswith("/alias-copy/")
    assert editor_client.get(f"/api/v1/calls/{call.uuid}/").json()["url"].endswith(call.url)


def test_translations_get_new_uuids(editor_client, originals, home):
    """Ensures that "Translate" (the whole tree, into Spanish) gives each translation its own UUID."""
    spanish = Locale.objects.create(language_code="es")
    before = {kind: page.uuid for kind, page in originals.items()}
    response = editor_client.post(
        reverse("wagtail_localize:submit_page_translation", args=(home.pk,)),
        {"locales": [str(spanish.pk)], "include_subtree": "on"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    for kind, model in (("call", CallPage), ("asset", AssetPage), ("story", StoryPage)):
        original = originals[kind]
        original.refresh_from_db()
        translation = model.objects.get(locale=spanish, translation_key=original.translation_key)
        assert original.uuid == before[kind]
        assert translation.uuid != original.uuid
