"""Telling the call's contact about new contributions and team requests, now or in a digest."""

import logging

from django.urls import reverse
from django.utils import timezone

from .. import conf, emails
from ..models import NotificationEvent

logger = logging.getLogger(__name__)


def notify_contact(call, summary: str, admin_path: str = "") -> None:
    mode = conf.get("PARTICIPATION_NOTIFY")
    if mode == "off" or not call.contact_email:
        return
    if mode == "digest":
        NotificationEvent.objects.create(call=call, summary=summary[:300], admin_path=admin_path)
        return
    emails.queue(
        "contact_notice",
        [call.contact_email],
        {"call": call, "summary": summary, "admin_url": emails.absolute(admin_path)},
    )


def contribution_admin_path(contribution) -> str:
    return reverse(
        "wagtailsnippets_interlink_participation_contribution:edit", args=[contribution.pk]
    )


def send_digests() -> int:
    """Mails each call's contact the events collected since the last digest; returns mails sent."""
    pending = NotificationEvent.objects.filter(sent_at__isnull=True).select_related("call")
    by_call: dict[int, list[NotificationEvent]] = {}
    for event in pending:
        by_call.setdefault(event.call_id, []).append(event)
    sent = 0
    for events in by_call.values():
        call = events[0].call
        if call.contact_email:
            emails.queue(
                "contact_digest",
                [call.contact_email],
                {
                    "call": call,
                    "events": [
                        {"summary": e.summary, "admin_url": emails.absolute(e.admin_path)}
                        for e in events
                    ],
                },
            )
            sent += 1
        NotificationEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            sent_at=timezone.now()
        )
    logger.info("Participation digest: %d mail(s) for %d event(s)", sent, len(pending))
    return sent


def announce_closed_calls() -> int:
    """Tells subscribers once when a call stops accepting contributions (deadline or status)."""
    from interlink_blocks.models import CallPage

    from ..models import CallWatch

    announced = 0
    for call in CallPage.objects.live().filter(subscriptions__isnull=False).distinct():
        if call.accepts_contributions or not call.has_opened:
            continue
        watch, _created = CallWatch.objects.get_or_create(
            call=call, defaults={"phase": call.phase, "status": call.status}
        )
        if watch.closing_announced:
            continue
        emails.mail_subscribers(call, "call_update", {"closing": True})
        watch.closing_announced = True
        watch.save(update_fields=["closing_announced"])
        announced += 1
    return announced
