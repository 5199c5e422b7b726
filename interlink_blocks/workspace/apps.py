from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The co-production workspace: a process per call, its plan in rows, its team and roles.

    Needs ``interlink_blocks.participation`` (team requests become members) and
    ``interlink_blocks.accounts`` (members are people with accounts).
    """

    name = "interlink_blocks.workspace"
    label = "interlink_workspace"
    verbose_name = _("Interlink co-production workspace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
