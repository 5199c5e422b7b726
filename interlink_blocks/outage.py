"""503 with Retry-After while the database cannot be reached, instead of 500 and a traceback.

``DatabaseOutageMiddleware`` (first in ``MIDDLEWARE``) answers a request that met a lost or
refused database connection (``OperationalError`` / ``InterfaceError``) with 503, a
``Retry-After`` header and a plain page, or a small JSON document for the routes machines
address (the API, ActivityPub, inboxes). The outage is logged once when it starts and once
when the next request succeeds, not with a traceback per request. Django's
``CONN_HEALTH_CHECKS`` (set by the node's database settings) makes the first request after
the database returns open a new connection instead of failing on the cut one.

View errors arrive through ``process_exception``. Errors raised in another middleware are
turned into a 500 by Django's handler before this middleware sees them, so the
``got_request_exception`` signal marks such a request and the 500 becomes the 503 too; the
``QuietOutageFilter`` keeps their tracebacks out of ``django.request``'s log.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
# Routes that machines address: they get JSON, never a page.
MACHINE_PREFIXES = (
    "/api/",
    "/ap/",
    "/inbox",
    "/.well-known/",
    "/nodeinfo/",
    "/readyz",
    "/healthz",
    "/metrics",
)
MARK = "_interlink_database_error"


class _OutageState:
    """One line when an outage starts and one when it ends, per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.since: float | None = None
        self.refused = 0

    def failed(self, error: BaseException) -> None:
        with self.lock:
            self.refused += 1
            if self.since is not None:
                return
            self.since = time.monotonic()
        logger.error("Database unreachable, answering 503 until it returns: %s", _first(error))

    def succeeded(self) -> None:
        if self.since is None:  # the common case: no lock taken
            return
        # A page served from a cache says nothing about the database: ask it.
        if not database_answers():
            return
        with self.lock:
            if self.since is None:
                return
            lasted, refused = time.monotonic() - self.since, self.refused
            self.since, self.refused = None, 0
        logger.warning(
            "Database reachable again after %.1f s; %s requests answered 503", lasted, refused
        )


outage = _OutageState()


def database_answers() -> bool:
    """Whether this thread's database connection works now (asked only during an outage)."""
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
        return connection.is_usable()
    except DatabaseError:
        return False


def _first(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def is_database_error(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_ERRORS)


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith(MACHINE_PREFIXES) or request.path.endswith("/inbox"):
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for machines, a plain page (no template, no database) for people."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(
            {"error": "service unavailable", "detail": "database unreachable, retry later"},
            status=503,
        )
    else:
        title = _("Temporarily unavailable")
        text = _("This site cannot reach its database right now. Please try again in a minute.")
        language = escape(get_language() or "en")
        page = (
            f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title></head>"
            f"<body><main><h1>{escape(title)}</h1><p>{escape(text)}</p></main></body></html>"
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once per outage by _OutageState, not once per request by django.request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:  # the 500 handler itself met the outage
            outage.failed(error)
            return unavailable(request)
        error = getattr(request, MARK, None)
        if error is not None:
            if response.status_code >= 500:
                outage.failed(error)
                return unavailable(request)
        elif response.status_code < 500:
            outage.succeeded()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_error(exception):
            return None
        outage.failed(exception)
        return unavailable(request)


def _mark_request(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Remembers a database error raised outside a view (in a middleware) on its request."""
    error = sys.exc_info()[1]
    if request is not None and is_database_error(error):
        setattr(request, MARK, error)


got_request_exception.connect(_mark_request, dispatch_uid="interlink_outage_mark")


class QuietOutageFilter(logging.Filter):
    """Drops ``django.request`` records of database errors: the outage has its own lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not is_database_error(error)
