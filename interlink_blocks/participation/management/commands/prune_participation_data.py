"""Deletes personal data past its retention period (``federation_worker`` runs it
every SCHEDULE_PRUNE_INTERVAL, a day: interlink_federation.scheduler)."""

from django.core.management.base import BaseCommand

from ...services import privacy


class Command(BaseCommand):
    help = (
        "Deletes unconfirmed submissions older than PARTICIPATION_UNCONFIRMED_DAYS, "
        "participants (with or without an account) inactive for PARTICIPATION_RETENTION_DAYS "
        "(approved contributions stay, signed 'deleted participant'), notifications already "
        "sent and the participation mails kept by the database task queue."
    )

    def handle(self, *args, **options):
        counts = privacy.prune()
        self.stdout.write(
            f"Pruned {counts['unconfirmed_contributions']} unconfirmed contribution(s), "
            f"{counts['participants']} participant(s), "
            f"{counts['notification_events']} sent notification(s) and "
            f"{counts['mail_task_results']} mail task result(s)."
        )
