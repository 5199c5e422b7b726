"""Where a test run's screenshots go: ``test-output/screenshots/<run id>/``.

The run id is the time the run started (``20310314-093000``), so runs never overwrite each
other; ``$INTERLINK_SCREENSHOT_DIR``, when set, is the folder itself (a CI job naming its
own). The session ends by printing the folder.

Under pytest-xdist every worker must write to the same folder. The controller chooses the
id and hands it to each worker (``workerinput``) when this module is loaded there: always
with every run of this project's tests (``tests/conftest.py`` loads it), or when it is
named with ``-p tests.browser.screenshots``. Otherwise the workers agree among themselves:
the first to need the folder writes the id into a marker named after xdist's
``PYTEST_XDIST_TESTRUNUID`` (the same on every worker of a run) and the others read it.
"""

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "test-output" / "screenshots"
ENV_DIR = "INTERLINK_SCREENSHOT_DIR"
WORKER_KEY = "interlink_screenshot_run"

_run: dict[str, str] = {}


def new_run_id() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def shared_run_id(testrunuid: str, base: Path | None = None) -> str:
    """The run id every worker of the xdist run ``testrunuid`` agrees on (first one wins)."""
    markers = (base or BASE) / ".runs"
    markers.mkdir(parents=True, exist_ok=True)
    marker = markers / testrunuid
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        for _ in range(100):  # the first worker writes right after creating it
            run_id = marker.read_text(encoding="utf-8").strip()
            if run_id:
                return run_id
            time.sleep(0.05)
        return testrunuid
    run_id = new_run_id()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(run_id)
    for old in markers.iterdir():  # runs from earlier days are over
        if time.time() - old.stat().st_mtime > 24 * 3600:
            old.unlink(missing_ok=True)
    return run_id


def run_id(config=None, environ=os.environ, base: Path | None = None) -> str:
    """This run's id: the controller's, else agreed between xdist workers, else a new one."""
    if "id" not in _run:
        workerinput = getattr(config, "workerinput", None) or {}
        if workerinput.get(WORKER_KEY):
            _run["id"] = workerinput[WORKER_KEY]
        elif environ.get("PYTEST_XDIST_TESTRUNUID"):
            _run["id"] = shared_run_id(environ["PYTEST_XDIST_TESTRUNUID"], base)
        else:
            _run["id"] = new_run_id()
    return _run["id"]


def screenshot_dir(config=None, environ=os.environ, base: Path | None = None) -> Path:
    """The folder this run's screenshots go to (not created here)."""
    if environ.get(ENV_DIR):
        return Path(environ[ENV_DIR])
    return (base or BASE) / run_id(config, environ, base)


def pytest_configure(config):
    # At once, so that xdist workers left to agree among themselves do it as they start.
    run_id(config)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: unknown without it
def pytest_configure_node(node):
    """xdist (controller): gives each worker the run id."""
    node.workerinput[WORKER_KEY] = run_id(node.config)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    folder = screenshot_dir(config)
    if folder.is_dir() and any(folder.iterdir()):
        terminalreporter.write_sep("-", f"screenshots in {folder}")
