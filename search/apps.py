from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "interlink_search"
    label = "interlink_search"
    verbose_name = _("Interlink search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .local_sources import register_local_sources

        register_local_sources()
