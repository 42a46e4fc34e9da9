from django.contrib import admin
from django.http import HttpRequest

from isoloir.notify.composition import contexte_ephemere
from isoloir.notify.models import Courriel


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    list_display = ["cree_le", "type", "destinataire", "objet", "etat", "tentatives", "envoye_le"]
    list_filter = ["etat", "type"]
    search_fields = ["destinataire", "objet"]
    readonly_fields = [f.name for f in Courriel._meta.fields]

    def get_fields(self, request: HttpRequest, obj: Courriel | None = None) -> tuple[str, ...]:
        champs = [f.name for f in Courriel._meta.fields]
        # An ephemeral context (a receipt's tracker) links its recipient to a ballot until
        # the mail leaves: nobody reads it here meanwhile.
        if obj is not None and contexte_ephemere(obj.type):
            champs.remove("contexte")
        return tuple(champs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
