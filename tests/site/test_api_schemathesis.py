"""The documented API under schemathesis (#19 item 4): every operation of /api/schema/, with
generated parameters and bodies, answers without a server error.

CI runs it on PostgreSQL (``make test`` with DATABASE_URL), in-process through the WSGI
application, so it shares the test's database transaction. Budgets are switched off so that
generated requests reach the views instead of a 429.
"""

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from interlink_site.wsgi import application

# Examples per operation: enough to find the hostile values (huge numbers, odd strings,
# empty and nested bodies) in a few seconds per operation.
EXAMPLES = 30


@pytest.fixture
def in_process_requests_keep_the_test_connection():
    """Calls made straight to the WSGI application send ``request_started``, whose
    ``close_old_connections`` closes a connection that is not in autocommit — the test's
    own transaction. Django's test client disconnects it for its requests; so do we."""
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@pytest.fixture
def api_schema(
    db, make_call, make_asset, story_index, settings, in_process_requests_keep_the_test_connection
):
    settings.RATELIMIT_ENABLE = False
    settings.ALLOWED_HOSTS = ["*"]
    call = make_call(contact_email="team@example.org")
    make_asset()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    # Paths name real objects now and then, so the views get past their 404s.
    schema.config.update(parameters={"call_id": call.pk})
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_without_a_server_error(case):
    """Ensures that no generated request to a documented operation gets a 5xx."""
    case.call_and_validate(checks=[not_a_server_error])
