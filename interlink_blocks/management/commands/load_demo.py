"""Load the demo municipality (the City of Valmora); safe to run any number of times."""

from django.apps import apps
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
        builder = DemoBuilder(base_url)
        created = builder.build()
        if apps.is_installed("interlink_blocks.workspace"):
            from interlink_blocks.workspace import demo as workspace_demo

            created.update(workspace_demo.load(staff=builder.user))
        if created:
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo content created: {summary}."))
        else:
            self.stdout.write("Demo content already present; nothing changed.")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        if apps.is_installed("interlink_blocks.workspace"):
            from interlink_blocks.workspace import demo as workspace_demo

            self.stdout.write(
                "Team member login (public site, /accounts/login/): "
                f"{workspace_demo.DEMO_MEMBER_EMAIL} / {workspace_demo.DEMO_MEMBER_PASSWORD}"
            )
