from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "isoloir.audit"
    label = "audit"
    verbose_name = "Journal de sécurité"
