"""Sends each team member the workspace notifications they chose to get once a day.

``send_participation_digest`` sends them too (through the ``interlink_daily_digest`` hook),
so the daily cron line a node already has is enough; this command sends them alone. Items
are marked sent: running both never mails twice."""

from django.core.management.base import BaseCommand

from ...services import notify


class Command(BaseCommand):
    help = "Mails the daily workspace digest to team members who chose it."

    def handle(self, *args, **options):
        sent = notify.send_digests()
        pruned = notify.prune_sent()
        self.stdout.write(f"Sent {sent} workspace digest(s); pruned {pruned} old item(s).")
