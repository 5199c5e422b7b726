"""Real nodes for the site's end-to-end tests (see tests/support/fixtures.py)."""

from tests.support.fixtures import *  # noqa: F403
