from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    label = "themes"
    verbose_name = "Interlink themes"
    default_auto_field = "django.db.models.BigAutoField"
