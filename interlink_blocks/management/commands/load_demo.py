"""Load the demo municipality (the City of Valmora); safe to run any number of times."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from ..demo.builder import DEMO_PASSWORD, DEMO_USERNAME, DemoBuilder


class Command(BaseCommand):
    help = (
        "Create a demo municipality with calls, assets and stories. Only what is missing "
        "is created, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Public URL of the node; sets the default site's hostname and port.",
        )

    def handle(self, *args, base_url, **options):
        try:
            URLValidator(schemes=["http", "https"])(base_url)
        except ValidationError as error:
            raise CommandError(f"--base-url must be an http(s) URL, not {base_url!r}") from error
        created = DemoBuilder(base_url).build()
        if created:
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo content created: {summary}."))
        else:
            self.stdout.write("Demo content already present; nothing changed.")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
