"""The claims in the technical back-office: to look at, filter and search, not to edit.
Decisions are taken in the espace de gestion, where they change the roll and are
journaled; an edit here would do neither."""

from django.contrib import admin
from django.http import HttpRequest

from isoloir.reclamations.models import PieceJointe, Reclamation


class PieceJointeEnLigne(admin.TabularInline):
    model = PieceJointe
    fields = ("nom", "type_mime", "taille")
    readonly_fields = ("nom", "type_mime", "taille")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Reclamation)
class ReclamationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campagne", "scrutin", "type", "statut", "sans_compte", "depose_le"]
    list_filter = ["campagne", "statut", "type", "sans_compte"]
    search_fields = ["numero", "nom_naissance", "email", "electeur__nom_naissance"]
    date_hierarchy = "depose_le"
    inlines = [PieceJointeEnLigne]
    list_select_related = ["campagne", "scrutin"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Reclamation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
