from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "isoloir.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        if settings.ISOLOIR_HORLOGE_AVANCE:
            from isoloir.core import horloge

            horloge.avancer_au_demarrage(settings.ISOLOIR_HORLOGE_AVANCE)
