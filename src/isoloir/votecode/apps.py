from django.apps import AppConfig


class VotecodeConfig(AppConfig):
    name = "isoloir.votecode"
    label = "votecode"
    verbose_name = "Codes de vote et réassort"
