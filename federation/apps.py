from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "interlink_federation"
    label = "interlink_federation"
    verbose_name = _("Interlink federation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import blocking, dispatch, signals

        signals.connect()
        blocking.connect()
        dispatch.load()  # the handler modules fill the dispatch table
        if apps.is_installed("interlink_search"):
            from . import search_source  # noqa: F401 - registers the catalogue with search
        if apps.is_installed("interlink_blocks.reuse"):
            from interlink_blocks.reuse.files import offer_http_client

            from .client import guarded_request

            # Reused files are downloaded through the guarded client (no private addresses).
            offer_http_client(guarded_request)
