from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterlinkBlocksConfig(AppConfig):
    name = "interlink_blocks"
    label = "interlink_blocks"
    verbose_name = _("Interlink content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, receivers  # noqa: F401 - registers checks, cache invalidation
        from .cache import create_cache_tables
        from .csrf import install as install_csrf_strings

        install_csrf_strings()
        post_migrate.connect(create_cache_tables, sender=self)
