from django.apps import AppConfig


class CountingConfig(AppConfig):
    name = "isoloir.counting"
    label = "counting"
    verbose_name = "Bureaux de vote et dépouillement"
