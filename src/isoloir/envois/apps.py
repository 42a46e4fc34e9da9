from django.apps import AppConfig


class EnvoisConfig(AppConfig):
    name = "isoloir.envois"
    label = "envois"
    verbose_name = "Envois aux électeurs"

    def ready(self) -> None:
        # Registers the reminder mails with notify's composers, and the end of a mailing
        # with the delivery of its mails.
        from isoloir.envois import mails, signals  # noqa: F401
