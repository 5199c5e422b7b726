"""The signatures package stays free of database access (STYLE: the key lookup is passed in)."""

from __future__ import annotations

import ast
from pathlib import Path

import interlink_federation.signatures as package


def test_signatures_import_nothing_of_django_or_models():
    """Ensures that no module of the signatures package imports Django or our models."""
    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert not name.startswith(("django", "..", "interlink_federation")), (path, name)
