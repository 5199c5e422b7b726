"""Template context for themed public pages."""

from django.utils.functional import cached_property
from django.utils.translation import get_language
from wagtail.models import Site

from .registry import get_theme
from .tokens import brand_tokens, tokens_css


def navigation(request):
    """The site's top-level pages shown in menus, for the header navigation.

    The menu is the default-language home page's children, each swapped for its live
    translation in the active language (one query); a page not translated yet stays in
    the menu in its own language, marked ``lang`` so screen readers read it right.
    """
    from interlink_blocks.templatetags.interlink_lang import content_language, in_reader_language

    site = Site.find_for_request(request)
    if site is None:
        return {"interlink_nav": []}
    current = request.path
    items = []
    children = site.root_page.get_children().live().in_menu().public()
    for page in in_reader_language(children, keep_order=True):
        url = page.get_url(request)
        language = content_language(page)
        items.append(
            {
                "title": page.title,
                "url": url,
                "active": bool(url) and current.startswith(url),
                "lang": language if language != get_language() else "",
            }
        )
    return {"interlink_nav": items, "current_site": site}


class ThemeContext:
    """The request's theme and brand, computed only when a template reads them.

    Lazy because this context processor also runs for admin pages, which never use it.
    """

    def __init__(self, request):
        self.request = request

    @cached_property
    def settings(self):
        from .models import ThemeSettings

        site = Site.find_for_request(self.request)
        if site is None:
            return ThemeSettings()
        return ThemeSettings.for_site(site)

    @cached_property
    def theme(self):
        return get_theme(self.settings.theme)

    @property
    def name(self) -> str:
        return self.theme.name

    @property
    def base_template(self) -> str:
        return self.theme.base_template

    @property
    def stylesheet(self) -> str:
        return self.theme.stylesheet

    @property
    def logo_placement(self) -> str:
        return self.theme.logo_placement

    @property
    def footer_links(self):
        """The brand's footer links in the active language (``interlink_themes.footer``)."""
        from .footer import footer_links

        return footer_links(self.settings, self.request)

    @cached_property
    def site_name(self):
        """The site's name in the active language, or marked with its own (``lang``)."""
        from .footer import site_name

        return site_name(self.settings, Site.find_for_request(self.request))

    @property
    def contact_address(self):
        """The brand's contact address in the active language, or ``None``."""
        from .footer import contact_address

        return contact_address(self.settings)

    @cached_property
    def tokens_css(self) -> str:
        return tokens_css(brand_tokens(self.theme, self.settings.primary, self.settings.accent))


def theme(request):
    """``interlink_theme``: the site's theme (templates, stylesheet, tokens) and brand settings."""
    return {"interlink_theme": ThemeContext(request)}
