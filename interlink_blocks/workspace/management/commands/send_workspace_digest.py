"""Sends each team member the workspace notifications they chose to get once a day.

Run it daily, next to ``send_participation_digest`` (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from ...services import notify


class Command(BaseCommand):
    help = "Mails the daily workspace digest to team members who chose it."

    def handle(self, *args, **options):
        sent = notify.send_digests()
        pruned = notify.prune_sent()
        self.stdout.write(f"Sent {sent} workspace digest(s); pruned {pruned} old item(s).")
