"""Language selection for a node whose public pages are partly under ``i18n_patterns``.

Wagtail pages live under ``i18n_patterns`` (``/es/…``, ``/it/…``, ``/lv/…``; English
unprefixed). Other public views (discovery, participation forms, federated items) share URL
configurations with machine routes (APIs, ActivityPub) that must keep one stable address,
so they stay unprefixed. Django's ``LocaleMiddleware`` treats every unprefixed path as the
default language once ``i18n_patterns`` is used; this subclass instead lets those views
follow the visitor's language (cookie, then ``Accept-Language``), and remembers a language
chosen through a prefixed URL, so going from ``/es/calls/…`` to the contribution form stays
in Spanish.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers


def is_outside_i18n_patterns(path: str, urlconf) -> bool:
    """True if ``path`` resolves to a route that is not under ``i18n_patterns``."""
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            continue
        try:
            if pattern.resolve(path.lstrip("/")):
                return True
        except Resolver404:
            continue
    return False


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.language_from_visitor = False
        if translation.get_language_from_path(request.path_info):
            return
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_outside_i18n_patterns(request.path_info, urlconf):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            request.language_from_visitor = True

    def process_response(self, request, response):
        response = super().process_response(request, response)
        from_visitor = getattr(request, "language_from_visitor", None)
        if from_visitor:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        if from_visitor is None or response.status_code != 200:
            return response
        # A page under i18n_patterns was served: its language is the visitor's choice.
        language = translation.get_language()
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        # Unprefixed English pages set nothing for new visitors, so they stay cacheable.
        if language != cookie and (cookie or language != settings.LANGUAGE_CODE):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite="Lax",
            )
        return response
