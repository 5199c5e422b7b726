from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "interlink_themes"
    label = "interlink_themes"
    verbose_name = _("Interlink themes")
    default_auto_field = "django.db.models.BigAutoField"
