"""Template tags for themed pages: language alternates (switcher and hreflang)."""

import html

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_info

register = template.Library()


def _language(code: str, url: str, full_url: str, current: str) -> dict:
    info = get_language_info(code)
    return {
        "code": code,
        "name": info["name_local"],
        "url": url,
        "full_url": full_url,
        "current": code == current,
        "default": code == settings.LANGUAGE_CODE,
    }


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in every language it exists in, as ``code``/``name``/``url``/``current``.

    Wagtail pages use their translations (published ones only); other views under
    ``i18n_patterns`` use Django's ``translate_url``. ``url`` is for
    links, ``full_url`` (absolute) for ``hreflang`` alternates.
    """
    request = context.get("request")
    if request is None or getattr(request, "language_from_visitor", False):
        # One URL serves every language there (see themes.middleware): no alternates.
        return []
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    known = {code for code, _name in settings.LANGUAGES}
    page = context.get("page")
    alternates = []
    if page is not None and hasattr(page, "get_translations"):
        translations = page.get_translations(inclusive=True).live().public()
        for translation in translations.select_related("locale"):
            code = translation.locale.language_code
            url = translation.get_url(request)
            if code in known and url:
                full_url = translation.get_full_url(request)
                alternates.append(_language(code, url, full_url, current))
    else:
        path = request.get_full_path()
        for code, _name in settings.LANGUAGES:
            url = translate_url(path, code)
            if code == current or url != path:
                full_url = request.build_absolute_uri(url)
                alternates.append(_language(code, url, full_url, current))
    order = [code for code, _name in settings.LANGUAGES]
    alternates.sort(key=lambda item: order.index(item["code"]))
    return alternates if len(alternates) > 1 else []


@register.simple_tag
def language_choices() -> list[dict]:
    """Every site language as ``code``/``name``/``current``, for the set_language form."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [_language(code, "", "", current) for code, _name in settings.LANGUAGES]


FAVICON_SPEC = "fill-64x64|format-png"
DEFAULT_FAVICON = "interlink_themes/img/favicon.svg"


def favicon_url(brand) -> str:
    """The brand's favicon (a 64-px PNG rendition of the chosen image), else Interlink's."""
    if brand is not None and brand.favicon_id:
        return brand.favicon.get_rendition(FAVICON_SPEC).url
    return static(DEFAULT_FAVICON)


@register.simple_tag(takes_context=True)
def favicon(context) -> str:
    """``{% favicon %}``: the URL of the site's favicon (see ``favicon_url``)."""
    theme = context.get("interlink_theme")
    return favicon_url(theme.settings if theme is not None else None)


DESCRIPTION_LENGTH = 160


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    """The page's description for search engines and link previews: its search description,
    else its summary, else its introduction as plain text, cut to 160 characters."""
    page = context.get("page")
    text = ""
    for field_name in ("search_description", "summary", "intro"):
        value = getattr(page, field_name, "") if page is not None else ""
        if value:
            text = " ".join(html.unescape(strip_tags(str(value))).split())
            break
    return Truncator(text).chars(DESCRIPTION_LENGTH)
