from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Participants' accounts: django-allauth's sign-in by mailed code, themed and linked to
    the participation records of the same address. Needs ``allauth`` and ``allauth.account``
    in ``INSTALLED_APPS`` and ``interlink_blocks.participation``."""

    name = "interlink_blocks.accounts"
    label = "interlink_accounts"
    verbose_name = _("Interlink accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
