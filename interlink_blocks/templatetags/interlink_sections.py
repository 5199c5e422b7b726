"""Extension point for page templates: apps add sections to Interlink pages through hooks.

A page template calls ``{% page_sections "call_page" page %}``; every function registered
with ``@hooks.register("interlink_call_page_sections")`` receives ``(request, page)`` and
returns HTML (or ``""``). The core thus renders what optional apps contribute — the
participation forms, for instance — without importing them.

What those sections need in the page's head or at its end goes to the host's
``extra_css`` and ``extra_js`` blocks (Wagtail's project template has both), not into the
body: every function registered with ``@hooks.register("interlink_page_assets")``
receives ``(request, page)`` and returns static paths, and ``{% page_assets page "css" %}``
and ``{% page_assets page "js" %}`` in the page template's blocks write their tags.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, name, page):
    request = context.get("request")
    sections = (hook(request, page) for hook in hooks.get_hooks(f"interlink_{name}_sections"))
    return format_html_join("", "{}", ((section,) for section in sections if section))


ASSET_TAGS = {
    "css": '<link rel="stylesheet" href="{}">',
    "js": '<script src="{}" defer></script>',
}


@register.simple_tag(takes_context=True)
def page_assets(context, page, kind):
    """The ``<link>`` (``kind="css"``) or ``<script>`` (``"js"``) tags of the static files
    that ``interlink_page_assets`` hooks name for ``page``, each once, in hook order."""
    request = context.get("request")
    paths: list[str] = []
    for hook in hooks.get_hooks("interlink_page_assets"):
        for path in hook(request, page) or ():
            if path not in paths:
                paths.append(path)
    wanted = [path for path in paths if path.endswith(f".{kind}")]
    return format_html_join("", ASSET_TAGS[kind], ((static(path),) for path in wanted))
