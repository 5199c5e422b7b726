"""A database that cannot be reached: 503 with Retry-After, one log line per outage (#23)."""

import json
import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import override_settings
from django.utils.http import http_date

from interlink_blocks import outage

pytestmark = pytest.mark.django_db

ACTIVITY = {
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": "https://remote.example/activities/1",
    "type": "Like",
    "actor": "https://remote.example/actor",
    "object": "https://remote.example/notes/1",
}
REFUSED = OperationalError('database "interlink" is not currently accepting connections')


class RaisingMiddleware:
    """Stands for a middleware that reads the database before the view (sessions, axes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise InterfaceError("connection already closed")


@pytest.fixture(autouse=True)
def fresh_outage(monkeypatch):
    monkeypatch.setattr(outage, "outage", outage._OutageState())


def refused():
    """Every query fails as it does when PostgreSQL refuses or drops the connection."""
    return mock.patch.object(CursorWrapper, "execute", side_effect=REFUSED)


def test_a_page_answers_503_with_retry_after_and_a_plain_page(client, home):
    with refused():
        response = client.get("/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert '<html lang="en">' in body and "<h1>Temporarily unavailable</h1>" in body
    assert "Traceback" not in body


def test_the_page_is_in_the_visitors_language(client, home):
    with refused():
        response = client.get("/es/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert '<html lang="es">' in response.content.decode()
    assert "Temporarily unavailable" not in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v2/pages/", "/ap/actor", "/ap/outbox", "/.well-known/nodeinfo"]
)
def test_machine_routes_get_json(client, home, path):
    with refused():
        response = client.get(path)
    assert response.status_code == 503, path
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "service unavailable"
    assert response["Retry-After"]


def test_the_inbox_gets_json(client, home):
    with refused():
        response = client.post(
            "/inbox",
            data=json.dumps(ACTIVITY),
            content_type="application/activity+json",
            HTTP_SIGNATURE='keyId="https://remote.example/actor#main-key",headers="(request-target) host date digest",signature="AAAA"',
            HTTP_DATE=http_date(),
        )
    # The inbox reads the database (actor, keys, blocklist) before it can answer.
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"


@override_settings(
    MIDDLEWARE=["interlink_blocks.outage.DatabaseOutageMiddleware", f"{__name__}.RaisingMiddleware"]
)
def test_an_error_in_another_middleware_is_a_503_too(client, caplog):
    client.raise_request_exception = False  # the test client re-raises what the signal saw
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert not [r for r in caplog.records if r.name == "django.request" and r.exc_info]


def test_one_log_line_per_outage_and_one_when_it_ends(client, home, caplog):
    caplog.set_level(logging.INFO)
    with refused():
        for _ in range(5):
            assert client.get("/", HTTP_ACCEPT="text/html").status_code == 503
    assert client.get("/", HTTP_ACCEPT="text/html").status_code == 200
    outage_lines = [r for r in caplog.records if r.name == "interlink_blocks.outage"]
    assert [r.levelname for r in outage_lines] == ["ERROR", "WARNING"], outage_lines
    assert "5 requests answered 503" in outage_lines[1].getMessage()
    # No traceback per request: nothing from django.request.
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_the_quiet_filter_only_drops_database_errors():
    quiet = outage.QuietOutageFilter()

    def record(error):
        return logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "x", None, (type(error), error, None)
        )

    assert not quiet.filter(record(REFUSED))
    assert quiet.filter(record(ValueError("a bug")))


def test_other_errors_are_still_500(client, home):
    client.raise_request_exception = False
    with mock.patch.object(CursorWrapper, "execute", side_effect=ValueError("a bug")):
        response = client.get("/", HTTP_ACCEPT="text/html")
    assert response.status_code == 500


def test_persistent_connections_are_health_checked():
    """The first request after the database returns must not fail on the cut connection."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_page_served_without_the_database_does_not_end_the_outage(client, home, caplog):
    """A response that needed no query (a cached document) during an outage must not be
    taken for the database's return: that would log the outage again and again."""
    caplog.set_level(logging.INFO)
    with refused():
        assert client.get("/", HTTP_ACCEPT="text/html").status_code == 503
        with mock.patch.object(outage, "database_answers", return_value=False):
            outage.outage.succeeded()  # what a cached 200 in the outage calls
        assert client.get("/", HTTP_ACCEPT="text/html").status_code == 503
    assert client.get("/", HTTP_ACCEPT="text/html").status_code == 200
    lines = [r.levelname for r in caplog.records if r.name == "interlink_blocks.outage"]
    assert lines == ["ERROR", "WARNING"], lines
