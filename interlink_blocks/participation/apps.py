from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Citizens take part in calls: contributions, supports, team requests, subscriptions."""

    name = "interlink_blocks.participation"
    label = "interlink_participation"
    verbose_name = _("Interlink participation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
