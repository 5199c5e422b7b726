"""Rendering user-written text safely: escaped, paragraphs kept, links marked ``nofollow ugc``."""

from django import template
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def user_text(value: str) -> str:
    """Escapes everything, then turns bare URLs into ``rel="nofollow ugc"`` links.

    The text is escaped before ``urlize`` runs, so the only markup in the result is the
    links and paragraphs added here; quotes in the text are entities, so the ``rel``
    rewrite cannot touch anything the author wrote.
    """
    linked = urlize(escape(value or ""), nofollow=True, autoescape=False)
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc"')
    return mark_safe(linebreaks(linked))  # noqa: S308 - built from escaped text above
