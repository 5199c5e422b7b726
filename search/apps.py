from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Interlink search"
    default_auto_field = "django.db.models.BigAutoField"
