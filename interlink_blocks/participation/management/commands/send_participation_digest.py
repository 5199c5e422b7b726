"""Sends the collected notifications to each call's contact (PARTICIPATION_NOTIFY = "digest")
and tells subscribers about calls whose deadline has passed."""

from django.core.management.base import BaseCommand

from ...services import notify


class Command(BaseCommand):
    help = "Mails the participation digest to call contacts and announces closed calls."

    def handle(self, *args, **options):
        sent = notify.send_digests()
        closed = notify.announce_closed_calls()
        self.stdout.write(f"Sent {sent} digest(s); announced {closed} closed call(s).")
