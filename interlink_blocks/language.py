"""Keeping the visitor's language on links to views that are not Wagtail pages.

A node serves its public views (discovery, participation forms, the federated catalogue, a
host site's own) under every language prefix (``/es/discover/``), as Wagtail serves its
pages, and keeps machine routes (APIs, ActivityPub) unprefixed. ``reverse`` and ``{% url %}``
give the unprefixed address; ``in_language`` turns it into the address in the active (or a
given) language when the node serves that route under the prefix, and leaves it unchanged
otherwise (a machine route, a file, another site)::

    from interlink_blocks.language import in_language
    return redirect(in_language(reverse("interlink_participation:data_request")))

In templates, ``{% load interlink_lang %}`` gives ``{% lang_url "ns:name" arg %}`` (the
``{% url %}`` of a public view in the reader's language) and the ``in_language`` filter.

The default language (``LANGUAGE_CODE``) has no prefix, as with Wagtail's pages.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation


def _primary(code: str | None) -> str:
    return (code or "").split("-")[0].split("_")[0].lower()


def _languages() -> set[str]:
    return {_primary(code) for code, _name in settings.LANGUAGES}


def split_language(path: str) -> tuple[str, str]:
    """``("es", "/discover/")`` for ``/es/discover/``; ``("", path)`` without a prefix."""
    first, _slash, rest = path.lstrip("/").partition("/")
    if first and _primary(first) in _languages() and first == _primary(first):
        return first, "/" + rest
    return "", path


def _served_under_prefix(path: str, language: str) -> bool:
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return False
    # Wagtail's page serving matches every path; pages have their own localised URLs.
    return getattr(match, "url_name", None) != "wagtail_serve"


def in_language(url: str, language: str | None = None) -> str:
    """``url`` (a same-site path, maybe with query and fragment) in ``language`` (default:
    the active one), if the node serves that route under the language's prefix."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return url
    language = _primary(language or translation.get_language() or settings.LANGUAGE_CODE)
    _current, path = split_language(parts.path)
    if language == _primary(settings.LANGUAGE_CODE):
        target = path
    else:
        prefixed = f"/{language}{path}"
        target = prefixed if _served_under_prefix(prefixed, language) else parts.path
    return urlunsplit(("", "", target, parts.query, parts.fragment))


def language_copies(patterns, *, only: tuple[str, ...] = ("",)) -> list:
    """Unnamed copies of ``patterns`` whose route starts with one of ``only``, to list
    under ``i18n_patterns`` beside the originals.

    The originals keep their names and namespaces, so ``reverse`` still gives the unprefixed
    address and machine routes of the same app stay out of the copies; ``in_language``
    then adds the prefix. For example::

        urlpatterns += i18n_patterns(
            *language_copies(search_urls.urlpatterns, only=("discover/",)),
            path("", include(wagtail_urls)),
            prefix_default_language=False,
        )
    """
    from django.urls import URLPattern

    copies = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            raise TypeError(f"language_copies takes plain routes, not {pattern!r}")
        if str(pattern.pattern).startswith(only):
            copies.append(URLPattern(pattern.pattern, pattern.callback, pattern.default_args))
    return copies
