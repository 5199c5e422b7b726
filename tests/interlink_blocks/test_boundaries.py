"""The core never depends on federation or search (README's layout; docs/content.md).

``federation`` and ``search`` react to the core's signals and hooks; the core, its
optional sub-apps (participation, reuse) included, must work in a host site that has
neither. Reading the source rather than importing it also catches imports hidden inside
functions, which only run on some code paths.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "interlink_blocks"
# The installed names, and the repository folders they come from (importable from a checkout).
FORBIDDEN = ("interlink_federation", "interlink_search", "federation", "search")
IMPORT_FUNCTIONS = {"import_module", "import_string", "__import__"}


def python_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if ".venv" not in path.parts)


def forbidden_imports(source: str, filename: str) -> list[str]:
    """``line: module`` for every import of a forbidden app in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Call):
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", None)
            first = node.args[0] if node.args else None
            if name in IMPORT_FUNCTIONS and isinstance(first, ast.Constant):
                modules = [str(first.value)]
        found += [
            f"{node.lineno}: {module}" for module in modules if module.split(".")[0] in FORBIDDEN
        ]
    return found


def test_the_scan_finds_every_kind_of_import():
    """Ensures that the scanner itself recognises the imports it must refuse, and only those."""
    source = (
        "import interlink_federation\n"
        "import interlink_search.tasks as tasks\n"
        "from federation.models import RemoteObject\n"
        "def later():\n"
        "    from interlink_search import documents\n"
        "    importlib.import_module('interlink_federation.client')\n"
        "from . import search_helpers\n"
        "from .search import x\n"
        "import searchlight\n"
        "from wagtail.search import index\n"
    )
    assert forbidden_imports(source, "example.py") == [
        "1: interlink_federation",
        "2: interlink_search.tasks",
        "3: federation.models",
        "5: interlink_search",
        "6: interlink_federation.client",
    ]


def test_package_has_python_files_to_scan():
    """Ensures that the scan covers the core and its optional sub-apps, not an empty list."""
    files = {path.relative_to(PACKAGE).as_posix() for path in python_files()}
    assert {"models/calls.py", "blocks/library.py", "api.py"} <= files
    assert any(name.startswith("participation/") for name in files)
    assert any(name.startswith("reuse/") for name in files)


@pytest.mark.parametrize(
    "path", python_files(), ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_interlink_blocks_does_not_import_federation_or_search(path):
    """Ensures that no module of interlink_blocks (sub-apps and migrations included) imports
    the federation or search apps."""
    assert forbidden_imports(path.read_text(), str(path)) == []


def test_templates_load_no_federation_or_search_tag_libraries():
    """Ensures that interlink_blocks' templates load no template tags of federation or search."""
    libraries = {
        module.stem
        for app in FORBIDDEN
        for module in (ROOT / app / "templatetags").glob("*.py")
        if module.stem != "__init__"
    }
    loads = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
    offending = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        for match in loads.finditer(template.read_text()):
            names = set(match.group(1).split()) - {"from"}
            if names & libraries:
                offending.append(f"{template.relative_to(PACKAGE)}: {match.group(0)}")
    assert offending == []


# ActivityStreams terms only an inbound mapping reads: addressing, replies, activity types.
AS_TERMS = {
    "inReplyTo", "attributedTo", "contentMap", "as:Public",
    "https://www.w3.org/ns/activitystreams#Public", "Like", "Undo", "Announce",
}  # fmt: skip


def activitystreams_terms(source: str, filename: str) -> list[str]:
    """``line: term`` for every string constant of ``source`` that is one of ``AS_TERMS``."""
    return [
        f"{node.lineno}: {node.value}"
        for node in ast.walk(ast.parse(source, filename))
        if isinstance(node, ast.Constant) and node.value in AS_TERMS
    ]


def test_the_vocabulary_scan_finds_activitystreams_terms():
    """Ensures that the vocabulary scan recognises ActivityStreams terms, and only those."""
    source = 'if note.get("inReplyTo"):\n    x = {"type": "Like"}\nlabel = "Likes"\n'
    assert activitystreams_terms(source, "example.py") == ["1: inReplyTo", "2: Like"]


@pytest.mark.parametrize(
    "path", python_files(), ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_interlink_blocks_reads_no_activitystreams(path):
    """Ensures that the core maps no inbound activities: ActivityStreams addressing, reply
    and activity terms live in federation's dispatch handlers (federation/dispatch/)."""
    assert activitystreams_terms(path.read_text(), str(path)) == []
