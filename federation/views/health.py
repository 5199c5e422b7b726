"""Health for load balancers and operators: ``/healthz``, ``/readyz`` and ``/metrics``.

``/healthz``: 200 while the process answers. ``/readyz``: 200 when this node can federate
and search, 503 (with what is wrong) when it cannot. ``/metrics``: the node's queues in
the Prometheus text format, to allowed scrapers only (``interlink_federation.metrics``).

Ready means: the database answers, a ``federation_worker`` wrote a heartbeat within
``FEDERATION_WORKER_STALE_AFTER`` seconds, and nothing (a delivery or an inbox message) has
been due for longer than ``FEDERATION_READY_MAX_LAG`` seconds, and search answers (the
engine, or the database backend it falls back to). For load balancers and supervisors; it
reveals counts, never content.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from .. import metrics, recovery


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    ready, detail = recovery.readiness()
    response = JsonResponse({"ready": ready, **detail}, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "10"
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. It touches nothing else, so a database or worker
    outage never makes an orchestrator restart a web process that could not fix it."""
    return JsonResponse({"alive": True})


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics.allowed(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
