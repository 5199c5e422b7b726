"""Translate the demo's pages the way editors do: through wagtail-localize.

For each page in ``TRANSLATED_PAGES`` and each other site language, the page's
translatable segments get the translations of ``translations.TRANSLATIONS`` and the
translated page is published. Segments without an entry (numbers, names, telephone
numbers) keep the English text, as wagtail-localize does for any untranslated segment.
A page that already has a translation in a language is left alone, so running the demo
again changes nothing, and editors' own changes survive.
"""

from django.apps import apps
from django.conf import settings
from wagtail.models import Locale, Page

from .translations import TRANSLATED_PAGES, TRANSLATIONS


def translate_demo(home: Page, user) -> int:
    """Translates and publishes the demo's pages; returns how many translations were made."""
    if not apps.is_installed("wagtail_localize"):
        return 0
    from wagtail_localize.models import StringTranslation, TranslationSource

    made = 0
    default = settings.LANGUAGE_CODE
    pages = [_page(home, path) for path in TRANSLATED_PAGES]
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == default or code not in TRANSLATIONS:
            continue
        locale = Locale.objects.get(language_code=code)
        texts = TRANSLATIONS[code]
        for page in pages:
            if page is None or page.has_translation(locale):
                continue
            source, _created = TranslationSource.get_or_create_from_instance(page)
            for segment in source.stringsegment_set.select_related("string", "context"):
                text = texts.get(segment.string.data)
                if text is None:
                    continue
                StringTranslation.objects.update_or_create(
                    translation_of=segment.string,
                    locale=locale,
                    context=segment.context,
                    defaults={
                        "data": text,
                        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        "last_translated_by": user,
                    },
                )
            translation, _created = source.translations.get_or_create(
                target_locale=locale, defaults={"enabled": True}
            )
            # Saved as a draft, then published here: wagtail-localize publishes only once
            # the transaction commits, and the demo builds inside one.
            translation.save_target(user=user, publish=False)
            page.get_translation(locale).get_latest_revision().publish(user=user)
            made += 1
    return made


def _page(home: Page, path: str) -> Page | None:
    if not path:
        return home
    return Page.objects.filter(url_path=f"{home.url_path}{path}/").first()
