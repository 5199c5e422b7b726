"""Each test run writes its screenshots to a folder of its own and says where at the end.

These tests need no browser: they run small pytest sessions (with two xdist workers) whose
tests write files where the screenshots would go.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import screenshots
from .conftest import ROOT

INNER_CONFTEST = """
from pathlib import Path

import tests.browser.screenshots as screenshots

screenshots.BASE = Path(__file__).parent / "shots"
"""

INNER_TESTS = """
import os


def test_writes_a_screenshot(request):
    from tests.browser.screenshots import screenshot_dir

    folder = screenshot_dir(request.config)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (os.environ.get("PYTEST_XDIST_WORKER", "main") + ".png")).write_bytes(b"png")
"""


def run_inner(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "conftest.py").write_text(INNER_CONFTEST, encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(INNER_TESTS, encoding="utf-8")
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_", "INTERLINK_SCREENSHOT"))
    }
    environ.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_folders(tmp_path: Path) -> list[Path]:
    shots = tmp_path / "shots"
    return sorted(p for p in shots.iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.mark.parametrize(
    "plugin_in_controller",
    [True, False],
    ids=["controller-names-the-run", "workers-agree"],
)
def test_both_workers_write_to_one_folder_named_by_the_run(tmp_path, plugin_in_controller):
    """Ensures that under pytest-xdist both workers write to the same timestamped folder,
    whether the controller names it or the workers agree on it, and that the run ends by
    saying where the screenshots are when the controller knows."""
    plugin = ["-p", "tests.browser.screenshots"] if plugin_in_controller else []
    result = run_inner(tmp_path, *plugin, "-n", "2", "--dist", "each")
    assert result.returncode == 0, result.stdout + result.stderr
    (folder,) = run_folders(tmp_path)
    assert re.fullmatch(r"\d{8}-\d{6}", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == ["gw0.png", "gw1.png"]
    if plugin_in_controller:
        assert f"screenshots in {folder}" in result.stdout


def test_each_run_gets_a_new_folder_and_the_variable_wins(tmp_path):
    """Ensures that a second run does not overwrite the first one's screenshots, and that
    $INTERLINK_SCREENSHOT_DIR, when set, is the folder used."""
    first = run_inner(tmp_path, "-p", "tests.browser.screenshots")
    assert first.returncode == 0, first.stdout + first.stderr
    time.sleep(1.1)  # run ids are timestamps to the second
    second = run_inner(tmp_path, "-p", "tests.browser.screenshots")
    assert second.returncode == 0, second.stdout + second.stderr
    folders = run_folders(tmp_path)
    assert len(folders) == 2 and all((f / "main.png").exists() for f in folders)
    assert f"screenshots in {folders[1]}" in second.stdout

    named = tmp_path / "ci-job-42"
    third = run_inner(
        tmp_path, "-p", "tests.browser.screenshots", INTERLINK_SCREENSHOT_DIR=str(named)
    )
    assert third.returncode == 0, third.stdout + third.stderr
    assert (named / "main.png").exists()
    assert f"screenshots in {named}" in third.stdout
    assert len(run_folders(tmp_path)) == 2


def test_this_runs_screenshot_fixture_uses_the_run_folder(screenshot_dir, pytestconfig):
    """Ensures that the ``screenshot`` fixture's folder is this run's folder."""
    assert screenshot_dir == screenshots.screenshot_dir(pytestconfig)
    if not os.environ.get(screenshots.ENV_DIR):
        assert screenshot_dir.parent == screenshots.BASE
        assert re.fullmatch(r"\d{8}-\d{6}", screenshot_dir.name)
