from django.contrib import admin
from django.http import HttpRequest

from isoloir.audit.models import Evenement


@admin.register(Evenement)
class EvenementAdmin(admin.ModelAdmin):
    list_display = ["horodatage", "type", "compte_id", "ip"]
    list_filter = ["type"]
    search_fields = ["type"]
    readonly_fields = [f.name for f in Evenement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
