"""The requests in the technical back-office: a read-only list. The helpdesk works on them
in the espace de gestion, where every action is journaled."""

from django.contrib import admin
from django.http import HttpRequest

from isoloir.assistance.models import DemandeAssistance


@admin.register(DemandeAssistance)
class DemandeAssistanceAdmin(admin.ModelAdmin):
    list_display = ["numero", "cree_le", "categorie", "statut", "prise_par", "resolue_le"]
    list_filter = ["statut", "categorie"]
    search_fields = ["numero"]
    date_hierarchy = "cree_le"
    list_select_related = ["prise_par"]
    exclude = ["empreinte_envoi"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
