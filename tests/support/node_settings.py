# ruff: noqa: F403, F405 - a settings module extending another by star import
"""Settings of a test node process: production settings, opened for loopback federation.

The node harness (``tests/support/nodes.py``) starts every server, worker and control
process with this module. Production settings read the deployment from the environment
(``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``, ``SITE_URL``, ``MEDIA_ROOT``), so
each node gets its own database and address; only what a node on one machine needs beyond
production is set here, each read from an ``INTERLINK_NODE_*`` variable with a default.
"""

import os

from interlink_site.settings.production import *

# Several nodes on one machine talk over 127.0.0.1 (docs/federation.md, "Loopback").
FEDERATION_ALLOW_LOOPBACK = True

# Uploaded files are served by the node itself (tests/support/node_urls.py).
ROOT_URLCONF = "tests.support.node_urls"

# Fault tests wait for retries and for the recovery sweep: shorten the clocks, not the logic.
FEDERATION_RETRY_BASE_SECONDS = float(os.environ.get("INTERLINK_NODE_RETRY_BASE", "1"))
FEDERATION_RETRY_MAX_DELAY = float(os.environ.get("INTERLINK_NODE_RETRY_MAX", "4"))
# Leases keep the shipped defaults unless a test says otherwise (the fault suite does not).
FEDERATION_LEASE_SECONDS = float(os.environ.get("INTERLINK_NODE_LEASE_SECONDS", "10"))
# Renewed three times per lease, as the shipped 10 s / 3 s.
FEDERATION_LEASE_RENEW_INTERVAL = FEDERATION_LEASE_SECONDS / 3
FEDERATION_SWEEP_INTERVAL = float(os.environ.get("INTERLINK_NODE_SWEEP_INTERVAL", "1"))
# The periodic jobs keep their shipped intervals (a day; an hour for pending index updates)
# unless a test shortens them (tests/federation/e2e/test_scheduler.py).
SCHEDULER_TICK = float(os.environ.get("INTERLINK_NODE_SCHEDULER_TICK", "1"))
if os.environ.get("INTERLINK_NODE_SCHEDULE_INTERVAL"):
    SCHEDULE_DIGEST_INTERVAL = SCHEDULE_PRUNE_INTERVAL = SCHEDULE_SEARCH_PENDING_INTERVAL = float(
        os.environ["INTERLINK_NODE_SCHEDULE_INTERVAL"]
    )

# INTERLINK_NODE_BUDGETS=0 switches request budgets off (interlink_blocks.throttling): the
# benchmarks measure throughput, not budgets.
RATELIMIT_ENABLE = os.environ.get("INTERLINK_NODE_BUDGETS", "1") != "0"

# SQLite nodes (a server, a worker and a control process writing to one file) use the
# production settings' SQLite options (interlink_site/databases.py) and persistent
# connections (CONN_MAX_AGE 600): opening a SQLite connection cost more than an inbox POST.

# Readable logs on failure: tracebacks of failed requests and tasks reach the log files.
LOGGING["loggers"]["django.request"] = {
    "handlers": ["console"],
    "level": "ERROR",
    "filters": ["quiet_outage"],
    "propagate": False,
}
LOGGING["loggers"]["django_tasks"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
LOGGING["loggers"]["interlink_federation"]["level"] = os.environ.get(
    "INTERLINK_NODE_LOG_LEVEL", "INFO"
)
LOGGING["handlers"]["console"]["formatter"] = "node"
LOGGING["formatters"] = {
    "node": {"format": "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"}
}
