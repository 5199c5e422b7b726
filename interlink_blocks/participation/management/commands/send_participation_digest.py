"""Sends the collected notifications to each call's contact (PARTICIPATION_NOTIFY = "digest")
and tells subscribers about calls whose deadline has passed.

Other apps' daily digests ride on the same daily run: each function registered with the
``interlink_daily_digest`` hook is called and returns how many mails it queued (the
workspace's member digests), so one daily run sends every digest. ``federation_worker`` runs it every
SCHEDULE_DIGEST_INTERVAL (interlink_federation.scheduler)."""

from django.core.management.base import BaseCommand
from wagtail import hooks

from ...services import notify

DAILY_DIGEST_HOOK = "interlink_daily_digest"


class Command(BaseCommand):
    help = "Mails the participation digest to call contacts and announces closed calls."

    def handle(self, *args, **options):
        sent = notify.send_digests()
        closed = notify.announce_closed_calls()
        others = sum(send() for send in hooks.get_hooks(DAILY_DIGEST_HOOK))
        self.stdout.write(
            f"Sent {sent} digest(s); announced {closed} closed call(s); "
            f"{others} other digest(s) (interlink_daily_digest)."
        )
