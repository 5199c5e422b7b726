"""Extension point for page templates: apps add sections to Interlink pages through hooks.

A page template calls ``{% page_sections "call_page" page %}``; every function registered
with ``@hooks.register("interlink_call_page_sections")`` receives ``(request, page)`` and
returns HTML (or ``""``). The core thus renders what optional apps contribute — the
participation forms, for instance — without importing them.
"""

from django import template
from django.utils.html import format_html_join
from wagtail import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, name, page):
    request = context.get("request")
    sections = (hook(request, page) for hook in hooks.get_hooks(f"interlink_{name}_sections"))
    return format_html_join("", "{}", ((section,) for section in sections if section))
