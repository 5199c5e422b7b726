"""Text from elsewhere, made safe: one HTML policy and one way to plain text.

Whatever another server or a package sends us passes through here before it is stored or
shown: a federated call's content, a reused page's rich text, a fediverse reply, a
search document's text. One allowlist, so what one path lets through another cannot
refuse, and so a change to it (a new tag, a new URL scheme) is made once.

The allowlist is what Interlink's own rich text produces (the editor's features and our
outbound ``content``): paragraphs, line breaks, emphasis, lists, quotes and links.
Anything else keeps its text and loses its tag; ``script`` and ``style`` lose their text
too. Links keep ``href`` (http, https, mailto) and get ``rel="nofollow noopener
noreferrer"``: they come from someone we do not vouch for.

>>> clean_html('<p onclick="x()">Hi <a href="javascript:x()">there</a></p><script>x()</script>')
'<p>Hi <a rel="nofollow noopener noreferrer">there</a></p>'
>>> plain_text("<p>Parks &amp; <b>gardens</b></p><p>Open</p>")
'Parks & gardens\\nOpen'
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3

TAGS = frozenset({"p", "br", "b", "strong", "i", "em", "a", "ol", "ul", "li", "blockquote"})
ATTRIBUTES = {"a": {"href"}, "*": set()}  # "*": no generic lang/title either
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# Where a block ends, plain text starts a new line (before the tags are dropped).
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|div|tr)\s*>|<br\s*/?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_html(value: Any) -> str:
    """``value`` (remote HTML) reduced to the allowlist; ``""`` for anything not a string."""
    if not isinstance(value, str):
        return ""
    return nh3.clean(
        value,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
    )


def plain_text(value: Any, limit: int | None = None) -> str:
    """The text of ``value`` (HTML or text): no tags, entities decoded, one line per
    paragraph or line break, no blank runs; at most ``limit`` characters.

    The result is text, not HTML (``&`` is ``&``): templates escape it when they show it.
    """
    if not isinstance(value, str):
        return ""
    text = html.unescape(nh3.clean(_BLOCK_END.sub("\n", value), tags=set()))
    text = "\n".join(line.strip() for line in text.splitlines())
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return text if limit is None else text[:limit]
