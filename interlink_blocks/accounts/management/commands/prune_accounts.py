from django.core.management.base import BaseCommand

from interlink_blocks.accounts.services import prune


class Command(BaseCommand):
    help = (
        "Deletes accounts made by asking for a sign-in code and never signed into (after "
        "ACCOUNTS_UNUSED_DAYS) and public accounts not signed into for "
        "PARTICIPATION_RETENTION_DAYS. federation_worker runs it daily (SCHEDULE_PRUNE_INTERVAL)."
    )

    def handle(self, *args, **options):
        counts = prune()
        print(f"Accounts deleted: {counts['unused']} never used, {counts['inactive']} inactive")
