"""The distribution looks maintained (issue #21, item 4): what it ships and what it says."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.plugin, pytest.mark.xdist_group("plugin")]

# Relative links and images in Markdown: [text](target) and ![alt](target).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)")


def test_twine_check_passes(distribution):
    """Ensures that PyPI would accept the sdist's and wheel's metadata and rendered README
    (``twine check --strict``: no warnings either)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "twine",
            "check",
            "--strict",
            distribution.sdist,
            distribution.wheel,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_installs_only_interlink_names(distribution):
    """Ensures that the wheel's top-level import names are Interlink's own (the repository's
    ``federation/``, ``search/`` and ``themes/`` under their installed names), that the demo
    project is not in it, and that it carries the licence text and a version."""
    with zipfile.ZipFile(distribution.wheel) as wheel:
        names = wheel.namelist()
        info = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = wheel.read(info).decode()
        licence = wheel.read(next(n for n in names if n.endswith(".dist-info/licenses/LICENCE")))
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith("-info")}
    assert top_level == {
        "interlink_blocks",
        "interlink_federation",
        "interlink_search",
        "interlink_themes",
    }
    assert not any("interlink_site" in name or "settings" in name.split("/")[-1] for name in names)
    assert "License-Expression: EUPL-1.2" in metadata
    assert (ROOT / "LICENCE").read_bytes() == licence
    assert licence.startswith(b"EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    # Templates, static files, catalogues and migrations come along.
    assert "interlink_search/templates/interlink_search/discover.html" in names
    assert "interlink_themes/static/interlink_themes/css/civic.css" in names
    assert "interlink_blocks/locale/lv/LC_MESSAGES/django.mo" in names
    assert "interlink_federation/migrations/0001_initial.py" in names


def test_the_sdist_holds_what_the_readme_and_guide_link(distribution):
    """Ensures that every file the README and the adoption guide link to (docs, screenshots,
    changelog, licence) is in the sdist, and that the demo project and tests are not."""
    with tarfile.open(distribution.sdist) as sdist:
        members = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    linked = set()
    for document in ("README.md", "docs/adopting.md"):
        folder = (ROOT / document).parent
        for target in LINK.findall((ROOT / document).read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            linked.add((folder / target).resolve().relative_to(ROOT).as_posix())
    assert {"docs/adopting.md", "CHANGELOG.md", "LICENCE", "docs/screenshots/civic.png"} <= linked
    assert sorted(linked - members) == []
    assert not any(name.startswith(("site/", "tests/")) for name in members)


def test_changelog_records_this_version_and_the_renames():
    """Ensures that CHANGELOG.md has an entry for the version in pyproject.toml and records
    the renames of this 0.x version as breaking."""
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert re.fullmatch(r"0\.\d+\.\d+", version)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    entry = changelog.split(f"## {version}\n", 1)[1].split("\n## ", 1)[0]
    breaking = entry.split("### Breaking", 1)[1].split("\n### ", 1)[0]
    for name in (
        "interlink_search",
        "MunicipalityHomePage",
        "interlink_participation",
        "interlink_workspace_admin",
        "interlink_accounts/",
    ):
        assert name in breaking
