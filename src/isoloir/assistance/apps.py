from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "isoloir.assistance"
    verbose_name = "Assistance aux électeurs"

    def ready(self) -> None:
        # Registers the assistance mails with the notify app's composers.
        from isoloir.assistance import mails  # noqa: F401
