"""The translators' workflow with wagtail-localize on Wagtail 8: submit a page, translate its
segments in the admin editor, publish, and keep the translation in step when the source
changes (docs/translation.md)."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from interlink_blocks.models import CallPage


@pytest.fixture
def spanish(home):
    return Locale.objects.create(language_code="es")


def translate_all(source, locale, prefix="ES "):
    """Translates every segment of ``source`` as a translator would in the editor."""
    from wagtail_localize.models import StringTranslation

    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": prefix + segment.string.data, "translation_type": "manual"},
        )


def test_editor_submits_translates_and_publishes_a_call(
    make_call, spanish, admin_client, admin_user, django_capture_on_commit_callbacks
):
    """Ensures that on Wagtail 8 an editor submits a call for translation in the admin, the
    translation editor opens, and the translated call is published under /es/."""
    from wagtail_localize.models import Translation, TranslationSource

    call = make_call(title="Plan the new district library", slug="district-library")
    url = reverse("wagtail_localize:submit_page_translation", args=[call.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [spanish.pk], "include_subtree": ""})
    assert response.status_code == 302
    copy = CallPage.objects.get(translation_key=call.translation_key, locale=spanish)
    editor = admin_client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk]))
    assert editor.status_code == 200
    assert b"Plan the new district library" in editor.content  # the source, to translate

    source = TranslationSource.objects.get_for_instance(call)
    translate_all(source, spanish)
    # wagtail-localize publishes once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.get(source=source, target_locale=spanish).save_target(
            user=admin_user, publish=True
        )
    copy.refresh_from_db()
    assert copy.live and copy.title == "ES Plan the new district library"
    html = admin_client.get(copy.url).content.decode()
    assert '<html lang="es"' in html and "ES Plan the new district library" in html


def test_source_change_reaches_the_translation_when_synced(
    make_call, spanish, admin_client, admin_user, django_capture_on_commit_callbacks
):
    """Ensures that when the source changes the translation keeps its translated segments, the
    changed text shows as untranslated (the English, until a translator writes it), and
    "Sync translated pages" in the admin publishes the update."""
    from wagtail_localize.models import Translation, TranslationSource

    call = make_call(title="Plan the new district library", summary="Tell us what you need.")
    source, _created = TranslationSource.get_or_create_from_instance(call)
    translation = Translation.objects.create(source=source, target_locale=spanish)
    translate_all(source, spanish)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=admin_user, publish=True)
    copy = call.get_translation(spanish)

    call.summary = "Tell us what you need, and when."
    call.save_revision().publish()
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"publish_translations": "on"}).status_code == 302

    copy.refresh_from_db()
    assert copy.title == "ES Plan the new district library"  # kept
    assert copy.summary == "Tell us what you need, and when."  # new text, not yet translated
    total, done = translation.get_progress()
    assert done == total - 1


def test_translation_models_are_migrated(db):
    """Ensures that wagtail-localize's migrations apply with Interlink's on Wagtail 8 (the test
    database is built by them) and leave nothing to make."""
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    call_command("makemigrations", "wagtail_localize", "--check", "--dry-run", stdout=output)
    assert "No changes detected" in output.getvalue()
