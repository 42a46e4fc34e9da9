from django.apps import AppConfig


class CountingConfig(AppConfig):
    name = "isoloir.counting"
    label = "counting"
    verbose_name = "Bureaux de vote et dépouillement"

    def ready(self) -> None:
        # Nothing a bureau has sealed may change, whichever path writes (docs/scellement.md),
        # and the lower layers ask elections' seam whether it is sealed (elections/verrous.py).
        from isoloir.counting import signals, verrou

        signals.connecter()
        verrou.enregistrer()
