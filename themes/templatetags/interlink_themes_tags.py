"""Template tags for themed pages: language alternates (switcher and hreflang)."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_info

from interlink_blocks.sanitise import plain_text

register = template.Library()


def _language(code: str, url: str, full_url: str, current: str, exists: bool = True) -> dict:
    info = get_language_info(code)
    return {
        "code": code,
        "name": info["name_local"],
        "url": url,
        "full_url": full_url,
        "current": code == current,
        "default": code == settings.LANGUAGE_CODE,
        # False: the page is not translated into this language; the switcher then leads to
        # that language's home page, and no hreflang alternate is announced.
        "exists": exists,
    }


def _page_alternates(page, request, current: str, known: list[str]) -> list[dict]:
    """This page's live translations, and for the other languages the site's home page in
    that language (the nearest place the visitor can go on reading in it)."""
    from wagtail.models import Site

    alternates = {}
    for translation in (
        page.get_translations(inclusive=True).live().public().select_related("locale")
    ):
        code = translation.locale.language_code
        url = translation.get_url(request)
        if code in known and url:
            full_url = translation.get_full_url(request)
            alternates[code] = _language(code, url, full_url, current)
    missing = [code for code in known if code not in alternates]
    site = Site.find_for_request(request) if missing and alternates else None
    if site is not None:
        homes = site.root_page.get_translations(inclusive=True).live().select_related("locale")
        for home in homes.filter(locale__language_code__in=missing):
            code = home.locale.language_code
            url = home.get_url(request)
            if url:
                alternates[code] = _language(code, url, "", current, exists=False)
    return list(alternates.values())


def _view_alternates(request, current: str, known: list[str]) -> list[dict]:
    """A public view served under every language prefix: the same address in each."""
    from interlink_blocks.language import in_language

    alternates = []
    path = request.get_full_path()
    for code in known:
        url = in_language(path, code)
        if code == current or url != in_language(path, current):
            alternates.append(_language(code, url, request.build_absolute_uri(url), current))
    return alternates


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in every site language, as ``code``/``name``/``url``/``current``/
    ``exists``, for the language switcher; those with ``exists`` are the ``hreflang``
    alternates (``full_url``, absolute).

    Wagtail pages use their published translations (and, for a language the page is not
    translated into, that language's home page); other views under the language prefixes
    use the same address in each language. Unprefixed views that follow the visitor's
    language have none (their switcher is a ``set_language`` form).
    """
    request = context.get("request")
    if request is None or getattr(request, "language_from_visitor", False):
        # One URL serves every language there (see themes.middleware): no alternates.
        return []
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    known = [code for code, _name in settings.LANGUAGES]
    page = context.get("page")
    if page is not None and hasattr(page, "get_translations"):
        if not page.pk:
            return []  # a preview of an unsaved page
        alternates = _page_alternates(page, request, current, known)
    else:
        alternates = _view_alternates(request, current, known)
    alternates.sort(key=lambda item: known.index(item["code"]))
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
            text = " ".join(plain_text(str(value)).split())
            break
    return Truncator(text).chars(DESCRIPTION_LENGTH)


@register.simple_tag
def discover_url() -> str:
    """The discovery page in the reader's language, or "" when the search app is not routed."""
    from django.urls import NoReverseMatch, reverse

    from interlink_blocks.language import in_language

    try:
        return in_language(reverse("interlink_search:discover"))
    except NoReverseMatch:
        return ""
