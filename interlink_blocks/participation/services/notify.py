"""Telling the call's contact about new contributions and team requests, now or in a digest."""

import logging

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conf, emails
from ..models import NotificationEvent

logger = logging.getLogger(__name__)


def notify_contact(call, *, contribution=None, team_request=None) -> None:
    """Tells the contact about a contribution or a team request waiting for them.

    In digest mode the event only points at the object: what the mail says is written when
    the digest is sent, and the event is deleted with the object (and its author's data).
    """
    mode = conf.get("PARTICIPATION_NOTIFY")
    if mode == "off" or not call.contact_email:
        return
    if mode == "digest":
        NotificationEvent.objects.create(
            call=call, contribution=contribution, team_request=team_request
        )
        return
    summary, admin_path = describe(contribution=contribution, team_request=team_request)
    emails.queue(
        "contact_notice",
        [call.contact_email],
        {"call": call, "summary": summary, "admin_url": emails.absolute(admin_path)},
    )


def describe(*, contribution=None, team_request=None) -> tuple[str, str]:
    """A one-line summary for the contact and the admin path to handle it.

    Never the person's address: a team request shows the name given to be listed, if any.
    """
    if contribution is not None:
        return (
            _("New %(kind)s awaiting moderation: %(text)s")
            % {"kind": contribution.get_kind_display().lower(), "text": str(contribution)},
            reverse(
                "wagtailsnippets_interlink_participation_contribution:edit",
                args=[contribution.pk],
            ),
        )
    role = team_request.get_role_display()
    if team_request.name:
        summary = _("New request to join the team (%(role)s): %(name)s") % {
            "role": role,
            "name": team_request.name,
        }
    else:
        summary = _("New request to join the team (%(role)s)") % {"role": role}
    return summary, reverse(
        "wagtailsnippets_interlink_participation_teamrequest:edit", args=[team_request.pk]
    )


def send_digests() -> int:
    """Mails each call's contact the events collected since the last digest; returns mails sent."""
    pending = list(
        NotificationEvent.objects.filter(sent_at__isnull=True)
        .select_related("call", "contribution", "team_request")
        .order_by("created_at", "pk")
    )
    by_call: dict[int, list[NotificationEvent]] = {}
    for event in pending:
        by_call.setdefault(event.call_id, []).append(event)
    sent = 0
    for events in by_call.values():
        call = events[0].call
        described = [
            describe(contribution=e.contribution, team_request=e.team_request)
            for e in events
            if e.contribution_id or e.team_request_id
        ]
        if call.contact_email and described:
            emails.queue(
                "contact_digest",
                [call.contact_email],
                {
                    "call": call,
                    "events": [
                        {"summary": summary, "admin_url": emails.absolute(path)}
                        for summary, path in described
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
    """Tells subscribers once when a call stops accepting contributions (deadline or status).

    Publishing a call that closes already tells them (``receivers.announce_call_changes``,
    which sets ``closing_announced``): this catches deadlines passing without a publish.
    """
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
