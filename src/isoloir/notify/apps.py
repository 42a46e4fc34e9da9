from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "isoloir.notify"
    label = "notify"
    verbose_name = "Courriels et SMS"

    def ready(self) -> None:
        # Registers the reminder mails of campaign mailings with the composers.
        from isoloir.notify import mails  # noqa: F401
