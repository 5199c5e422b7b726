"""Durable background work (django_tasks database backend): deliveries and inbox handling."""

from __future__ import annotations

from django.db.models import Q
from django_tasks import task

from . import delivery


@task()
def send_activity(activity_pk: int) -> int:
    """Fan-out of one activity: every due delivery of it, sent concurrently."""
    claimed = delivery.claim(Q(activity_id=activity_pk))
    return len(delivery.send_claimed(claimed))


@task()
def send_deliveries(delivery_ids: list[int]) -> int:
    """Retries (and sweep re-queues): the given deliveries, if still due."""
    claimed = delivery.claim(Q(pk__in=delivery_ids))
    return len(delivery.send_claimed(claimed))


@task()
def process_inbox_message(message_pk: int) -> str:
    from .handlers import process

    return process(message_pk)
