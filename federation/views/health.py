"""``/readyz``: 200 when this node can federate, 503 (with what is wrong) when it cannot.

Ready means: the database answers, a ``federation_worker`` wrote a heartbeat within
``FEDERATION_WORKER_STALE_AFTER`` seconds, and nothing (a delivery or an inbox message) has
been due for longer than ``FEDERATION_READY_MAX_LAG`` seconds. For load balancers and
supervisors; it reveals counts, never content.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import recovery


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    ready, detail = recovery.readiness()
    response = JsonResponse({"ready": ready, **detail}, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "10"
    return response
