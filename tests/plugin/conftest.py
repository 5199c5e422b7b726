"""The distribution, built once per test process from the repository as a release would be.

``python -m build`` makes the sdist and then the wheel *from that sdist*, so a file the
sdist forgets is missing from the wheel too. It runs without build isolation (setuptools
comes from the test extra), so nothing is downloaded.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Distribution:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="session")
def distribution(tmp_path_factory) -> Distribution:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return Distribution(sdist=next(out.glob("*.tar.gz")), wheel=next(out.glob("*.whl")))
