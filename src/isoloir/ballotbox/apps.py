from django.apps import AppConfig


class BallotboxConfig(AppConfig):
    name = "isoloir.ballotbox"
    label = "ballotbox"
    verbose_name = "Urne"
