from django.apps import AppConfig, apps


class FederationConfig(AppConfig):
    name = "federation"
    label = "federation"
    verbose_name = "Interlink federation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import blocking, signals

        signals.connect()
        blocking.connect()
        if apps.is_installed("search"):
            from . import search_source  # noqa: F401 - registers the catalogue with search
