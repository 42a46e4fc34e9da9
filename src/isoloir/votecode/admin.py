"""The notices' records in the technical back-office: read only. Runs, batches and
deliveries change through the services (journaled), never by hand here."""

from django.contrib import admin
from django.http import HttpRequest

from isoloir.votecode.models import GenerationDeNotices, LotDeNotices, RemiseDeNotice


class LectureSeule(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(GenerationDeNotices)
class GenerationDeNoticesAdmin(LectureSeule):
    list_display = [
        "campagne",
        "lancee_le",
        "etat",
        "notices_faites",
        "notices_total",
        "hors_delai",
        "reprises",
    ]
    list_filter = ["etat", "hors_delai"]
    exclude = ["jeton"]


@admin.register(LotDeNotices)
class LotDeNoticesAdmin(LectureSeule):
    list_display = ["campagne", "etablissement", "fichier", "notices", "genere_le", "detruit_le"]
    list_filter = ["campagne"]
    search_fields = ["etablissement", "fichier"]


@admin.register(RemiseDeNotice)
class RemiseDeNoticeAdmin(LectureSeule):
    list_display = ["electeur", "etat", "date", "etablissement", "modifiee_le"]
    list_filter = ["etat"]
    search_fields = ["etablissement", "electeur__compte__email"]
    raw_id_fields = ["electeur"]
