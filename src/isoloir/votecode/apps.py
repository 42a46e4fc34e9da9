from django.apps import AppConfig


class VotecodeConfig(AppConfig):
    name = "isoloir.votecode"
    label = "votecode"
    verbose_name = "Codes de vote et réassort"

    def ready(self) -> None:
        # Registers the réassort mails with the notify app's composers.
        from isoloir.votecode import mails  # noqa: F401
