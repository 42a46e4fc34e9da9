from django.contrib import admin
from django.http import HttpRequest

from isoloir.envois.models import EnvoiDeMasse, LotDEnvoi
from isoloir.notify.admin import LectureSeule


class LotEnLigne(admin.TabularInline):
    model = LotDEnvoi
    fields = ("numero", "premier", "dernier", "programme_le", "courriels")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(EnvoiDeMasse)
class EnvoiDeMasseAdmin(LectureSeule):
    list_display = ["lance_le", "campagne", "nature", "destinataires_prevus", "termine_le"]
    list_filter = ["nature", "campagne"]
    readonly_fields = [f.name for f in EnvoiDeMasse._meta.fields if f.name != "jeton"]
    exclude = ["jeton"]
    inlines = [LotEnLigne]
