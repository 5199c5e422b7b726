"""The footer's links and contact address in the visitor's language.

Brand settings hold each footer link once, labelled in the site's default language, with
optional translations (language, label, address); the contact address likewise. For a
page in language X the footer shows:

- the translation for X when there is one;
- otherwise the default label or address, marked ``lang`` with the default language, so a
  screen reader does not read an English "Privacy" with Latvian rules;
- for a link to a page, the page's live translation in X (Wagtail's ``localized``), found
  for every link with one query, else the page itself.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import default_language, primary_language


@dataclass(frozen=True)
class FooterLink:
    label: str
    url: str
    lang: str = ""  # set when the label is not in the page's language


@dataclass(frozen=True)
class LocalizedText:
    text: str
    lang: str = ""


def _current() -> str:
    return primary_language(get_language()) or default_language()


def _translation_for(translations, language: str):
    for item in translations or []:
        if primary_language(item.get("language")) == language:
            return item
    return None


def _localized_pages(pages: list) -> dict[int, object]:
    """Each page's live translation in the active locale (one query), by the original's id."""
    from wagtail.models import Locale, Page

    if not pages:
        return {}
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return {}
    elsewhere = {page.translation_key: page.pk for page in pages if page.locale_id != locale.pk}
    if not elsewhere:
        return {}
    translations = Page.objects.live().filter(translation_key__in=elsewhere, locale=locale)
    return {elsewhere[page.translation_key]: page for page in translations}


def _statutory_pages(settings) -> dict[str, object]:
    """The live accessibility statement and privacy notice pages, by field (one query)."""
    from wagtail.models import Page

    ids = {name: getattr(settings, f"{name}_id") for name in ("accessibility_page", "privacy_page")}
    wanted = [pk for pk in ids.values() if pk is not None]
    if not wanted:
        return {}
    live = {page.pk: page for page in Page.objects.live().filter(pk__in=wanted)}
    return {name: live[pk] for name, pk in ids.items() if pk in live}


def footer_links(settings, request=None) -> list[FooterLink]:
    """The footer links of ``settings`` (a ``ThemeSettings``) for the active language: the
    accessibility statement and the privacy notice first (labelled by Interlink, so always in
    the visitor's language), then the brand's own links."""
    current, default = _current(), default_language()
    values = [link.value for link in settings.footer_links]
    chosen = _statutory_pages(settings)
    statutory = [
        (_("Accessibility statement"), chosen.get("accessibility_page")),
        (_("Privacy notice"), chosen.get("privacy_page")),
    ]
    pages = [page for _label, page in statutory if page is not None]
    pages += [value["page"] for value in values if value.get("page")]
    localized = _localized_pages(pages)
    links = [
        FooterLink(label=str(label), url=url)
        for label, page in statutory
        if page is not None and (url := localized.get(page.pk, page).get_url(request))
    ]
    for value in values:
        translation = _translation_for(value.get("translations"), current)
        page = value.get("page")
        if page is not None:
            url = localized.get(page.pk, page).get_url(request)
        else:
            url = value.get("url") or ""
        if translation is not None:
            label, lang = translation["label"], ""
            if translation.get("url") and page is None:
                url = translation["url"]
        else:
            label, lang = value["label"], default if default != current else ""
        if url:
            links.append(FooterLink(label=label, url=url, lang=lang))
    return links


def site_name(settings, site) -> LocalizedText:
    """The site's name for the active language: its translation in the brand settings, else
    Wagtail's site name marked with the default language (else "Interlink", a name)."""
    current, default = _current(), default_language()
    translations = [item.value for item in settings.site_name_translations]
    translation = _translation_for(translations, current)
    if translation is not None:
        return LocalizedText(translation["name"])
    name = getattr(site, "site_name", "") or ""
    if not name:
        return LocalizedText("Interlink")
    return LocalizedText(name, default if default != current else "")


def contact_address(settings) -> LocalizedText | None:
    """The contact address for the active language, or ``None`` when there is none."""
    current, default = _current(), default_language()
    translations = [item.value for item in settings.contact_address_translations]
    translation = _translation_for(translations, current)
    if translation is not None:
        return LocalizedText(translation["address"])
    if not settings.contact_address:
        return None
    return LocalizedText(settings.contact_address, default if default != current else "")
