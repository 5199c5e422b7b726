"""Deletes personal data past its retention period (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from ...services import privacy


class Command(BaseCommand):
    help = (
        "Deletes unconfirmed submissions older than PARTICIPATION_UNCONFIRMED_DAYS and "
        "participants inactive for PARTICIPATION_RETENTION_DAYS (approved contributions stay, "
        "signed 'deleted participant')."
    )

    def handle(self, *args, **options):
        counts = privacy.prune()
        self.stdout.write(
            f"Pruned {counts['unconfirmed_contributions']} unconfirmed contribution(s) and "
            f"{counts['participants']} participant(s)."
        )
