from django.contrib import admin
from django.http import HttpRequest

from isoloir.notify.composition import contexte_ephemere
from isoloir.notify.models import AdresseRejetee, Courriel, Rebond


class LectureSeule(admin.ModelAdmin):
    """What the workers and the bounce receiver write, shown, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Courriel)
class CourrielAdmin(LectureSeule):
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


@admin.register(Rebond)
class RebondAdmin(LectureSeule):
    list_display = ["recu_le", "courriel", "action", "statut", "permanent"]
    list_filter = ["permanent", "statut"]
    readonly_fields = [f.name for f in Rebond._meta.fields]
    raw_id_fields = ["courriel"]


@admin.register(AdresseRejetee)
class AdresseRejeteeAdmin(admin.ModelAdmin):
    """Deleting an entry lets later mailings write to the address again (e.g. once the
    mailbox was created)."""

    list_display = ["adresse", "statut", "rejetee_le"]
    search_fields = ["adresse"]
    readonly_fields = [f.name for f in AdresseRejetee._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
