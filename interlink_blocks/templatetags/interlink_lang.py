"""``lang`` on content in another language than the page: ``<a{{ item|lang_attr }}>``.

WCAG 2.1 SC 3.1.2 (language of parts): a screen reader reads a Spanish title with English
rules unless the title says it is Spanish. ``lang_attr`` writes `` lang="xx"`` when the
content's language differs from the active one, and nothing otherwise, so the same
template serves every page::

    {% load interlink_lang %}
    <li><a href="{% pageurl asset %}"{{ asset|lang_attr }}>{{ asset.title }}</a></li>
    <h2{{ item.language|lang_attr }}>{{ item.name }}</h2>

It takes a Wagtail page (or any object with ``locale_id``), a ``Locale`` or a language code;
``None`` and ``""`` give nothing. Pages cost no query: locale ids are mapped to language
codes once per process (a saved or deleted ``Locale`` clears the map).

``in_reader_language`` swaps each page of a list for its live, public translation in the
reader's language where one exists, so a Spanish page links Spanish pages::

    {% with assets=page.live_related_assets|in_reader_language %}

``lang_url`` is ``{% url %}`` for public views that are not pages, in the reader's language
(``/es/discover/`` on a Spanish page; see ``interlink_blocks.language``), and the
``in_language`` filter does the same for a path::

    <form action="{% lang_url 'interlink_participation:contribute' call.pk %}" method="post">
    <a href="{{ next_path|in_language }}">
"""

from django import template
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..language import in_language as _in_language

register = template.Library()


@register.simple_tag
def lang_url(view_name: str, *args, **kwargs) -> str:
    """``{% url %}`` in the reader's language: ``/es/discover/`` while Spanish is active."""
    return _in_language(reverse(view_name, args=args or None, kwargs=kwargs or None))


@register.filter
def in_language(path: str, language: str | None = None) -> str:
    """A same-site path in the reader's (or the given) language, where the node serves it."""
    return _in_language(str(path), language)


_locale_codes: dict[int, str] = {}


def _primary(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


def locale_language(locale_id: int | None) -> str:
    """The language code of the locale with this id ("" if there is none)."""
    if locale_id is None:
        return ""
    if locale_id not in _locale_codes:
        from wagtail.models import Locale

        _locale_codes.clear()
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_codes.get(locale_id, "")


def _forget_locales(**kwargs) -> None:
    _locale_codes.clear()


def content_language(value) -> str:
    """The language code of a page, a locale or a code; "" when unknown."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    language_code = getattr(value, "language_code", None)
    if isinstance(language_code, str):  # a Locale
        return language_code
    locale = getattr(value, "_state", None) and value._state.fields_cache.get("locale")
    if locale is not None:  # already loaded with the page: no lookup
        return locale.language_code
    return locale_language(getattr(value, "locale_id", None))


@register.filter
def lang_attr(value) -> str:
    """`` lang="xx"`` if ``value``'s language is not the active one, else ""."""
    code = content_language(value)
    current = get_language()
    if not code or (current and _primary(code) == _primary(current)):
        return ""
    return mark_safe(f' lang="{escape(code)}"')  # noqa: S308 (escaped above)


@register.filter
def in_reader_language(pages, keep_order: bool = False) -> list:
    """``pages`` with each one replaced by its translation in the active locale, by title.

    Wagtail's "Translate" copies a page's links as they are, so a translated call still
    names the original assets; Wagtail's ``localized`` does this swap for one page, at one
    query per page. Pages without a live, public translation stay as they are (``lang_attr``
    then marks their language). One query for the whole list, sorted by title unless
    ``keep_order`` (a menu keeps the editors' order).
    """
    from wagtail.models import Locale, Page

    pages = list(pages)
    current = _primary(get_language() or "")
    if all(_primary(content_language(page)) == current for page in pages):
        return pages  # the usual case, decided without a query
    locale = Locale.get_active()
    keys = {page.translation_key for page in pages if page.locale_id != locale.pk}
    translations = {
        page.translation_key: page
        for page in Page.objects.live()
        .public()
        .filter(locale_id=locale.pk, translation_key__in=keys)
        .only("id", "title", "path", "depth", "url_path", "locale_id", "live", "translation_key")
    }
    swapped: dict[int, object] = {}
    for page in pages:  # a page and its translation both linked: listed once
        chosen = translations.get(page.translation_key, page)
        swapped.setdefault(chosen.pk, chosen)
    if keep_order:
        return list(swapped.values())
    return sorted(swapped.values(), key=lambda page: page.title.casefold())


def _connect() -> None:
    from wagtail.models import Locale

    post_save.connect(_forget_locales, sender=Locale, dispatch_uid="interlink_lang_locales")
    post_delete.connect(_forget_locales, sender=Locale, dispatch_uid="interlink_lang_locales_del")


_connect()
