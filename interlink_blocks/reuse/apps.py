from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReuseConfig(AppConfig):
    name = "interlink_blocks.reuse"
    label = "interlink_reuse"
    verbose_name = _("Interlink reuse")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ..fragments import invalidate
        from ..metadata import register_term_provider
        from .lineage import lineage_terms
        from .models import Provenance, ReuseNotice

        # Pages show their provenance and reuse notices in a cached fragment.
        for model in (Provenance, ReuseNotice):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"reuse_fragments_{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"reuse_fragments_{model}")

        # Reused pages name their origin in every export (federation and packages).
        register_term_provider(lineage_terms)
