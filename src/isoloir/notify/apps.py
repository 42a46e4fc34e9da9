from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "isoloir.notify"
    label = "notify"
    verbose_name = "Courriels et SMS"
