from django.apps import AppConfig


class BoothConfig(AppConfig):
    name = "isoloir.booth"
    label = "booth"
    verbose_name = "Isoloir et émargement"

    def ready(self) -> None:
        from isoloir.booth import mails  # noqa: F401  (registers the receipt's composer)
