from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ReuseConfig(AppConfig):
    name = "interlink_blocks.reuse"
    label = "interlink_reuse"
    verbose_name = _("Interlink reuse")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ..metadata import register_term_provider
        from .lineage import lineage_terms

        # Reused pages name their origin in every export (federation and packages).
        register_term_provider(lineage_terms)
        if apps.is_installed("federation"):
            from .receivers import connect

            connect()
