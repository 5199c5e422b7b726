"""Template tags for themed pages: language alternates (switcher and hreflang)."""

from django import template
from django.conf import settings
from django.urls import translate_url
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
