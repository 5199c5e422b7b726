"""Deliveries a receiver refused: a 4xx other than 401/403/404/410 (``delivery.is_refusal``),
such as Fedify's "400 Invalid activity" for an object it cannot parse.

Such an answer will not change by sending the same document again, so the delivery fails
at once; its answer is kept (``Delivery.response_body``) and shown per host in the admin
with the activity. Once the cause is fixed (our document, or the receiver's software),
staff send them again from there (``retry_refused``).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .delivery import NOT_REFUSALS, enqueue_deliveries
from .models import Delivery, DeliveryState, HostHealth

REFUSED = Q(state=DeliveryState.FAILED, last_status__gte=400, last_status__lt=500) & ~Q(
    last_status__in=NOT_REFUSALS
)


def refused(host: str) -> QuerySet[Delivery]:
    """The host's refused deliveries, newest first, with their activities."""
    return (
        Delivery.objects.filter(REFUSED, host=host)
        .select_related("activity")
        .order_by("-first_failed_at", "-pk")
    )


def retry_refused(health: HostHealth) -> int:
    """Sends the host's refused deliveries again: due now, with a fresh attempt count and
    failure clock (a new try, not a continuation), the host's pause lifted."""
    ids = list(refused(health.host).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        state=DeliveryState.QUEUED,
        next_attempt_at=timezone.now(),
        attempts=0,
        first_failed_at=None,
        claim_token="",
    )
    HostHealth.objects.filter(pk=health.pk).update(paused_until=None)
    for start in range(0, len(ids), 200):
        transaction.on_commit(partial(enqueue_deliveries, ids[start : start + 200]))
    return len(ids)
