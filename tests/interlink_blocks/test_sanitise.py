"""One policy for HTML from elsewhere, one way to plain text (interlink_blocks/sanitise.py)."""

import ast
from pathlib import Path

import pytest

from interlink_blocks.sanitise import clean_html, plain_text

ROOT = Path(__file__).resolve().parents[2]
APPS = ("interlink_blocks", "federation", "search", "themes")


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()">Hi</p><script>steal()</script>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener noreferrer">x</a>'),
        (
            '<a href="https://example.org/a?b=1&c=2" title="t" lang="en">x</a>',
            '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">x</a>',
        ),
        (
            "<h2>Title</h2><img src=x onerror=alert(1)><ul><li>one</li></ul>",
            "Title<ul><li>one</li></ul>",
        ),
        (
            "<blockquote><b>b</b> <em>e</em><br></blockquote>",
            "<blockquote><b>b</b> <em>e</em><br></blockquote>",
        ),
        (None, ""),
    ],
)
def test_clean_html_keeps_only_the_allowlist(dirty, clean):
    """Ensures that remote HTML keeps the tags our rich text makes, links keep only an
    http(s)/mailto href and are marked nofollow, and scripts, handlers and images go."""
    assert clean_html(dirty) == clean


def test_plain_text_is_text_not_html():
    """Ensures that plain text has no tags, decoded entities (shown escaped by templates,
    not twice), one line per paragraph, no blank runs, and an optional length limit."""
    html = "<p>Parks &amp; <b>gardens</b></p><p>&lt;open&gt;</p><br><br><br><p>Bye</p><script>x</script>"
    assert plain_text(html) == "Parks & gardens\n<open>\n\nBye"
    assert plain_text("a < b", 3) == "a <"
    assert plain_text(7) == ""


def _calls_nh3(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import) and any(a.name == "nh3" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "nh3":
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.html":
            if any(alias.name == "strip_tags" for alias in node.names):
                return True
    return False


def test_one_sanitiser_in_the_code():
    """Ensures that no module but interlink_blocks/sanitise.py cleans HTML itself (nh3 or
    Django's strip_tags): one policy, one plain_text."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and _calls_nh3(path)
    ]
    assert offenders == ["interlink_blocks/sanitise.py"]
