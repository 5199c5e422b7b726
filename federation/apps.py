from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "federation"
    label = "federation"
    verbose_name = "Interlink federation"
    default_auto_field = "django.db.models.BigAutoField"
