from django.contrib import admin
from django.utils.html import format_html_join

from isoloir.counting.models import BureauDeVote, MembreDuBureau, RattachementAuBureau
from isoloir.counting.services import problemes_de_composition


class RattachementInline(admin.TabularInline):
    model = RattachementAuBureau
    extra = 1
    autocomplete_fields = ["scrutin"]


class MembreInline(admin.TabularInline):
    model = MembreDuBureau
    extra = 3
    autocomplete_fields = ["compte"]


@admin.register(BureauDeVote)
class BureauDeVoteAdmin(admin.ModelAdmin):
    list_display = ["nom", "campagne", "seuil", "composition"]
    list_filter = ["campagne"]
    inlines = [RattachementInline, MembreInline]
    readonly_fields = ["composition"]

    @admin.display(description="composition")
    def composition(self, bureau: BureauDeVote) -> str:
        if bureau.pk is None:
            return "—"
        problemes = problemes_de_composition(bureau)
        if not problemes:
            return "conforme (décret 2011-595, art. 11-III)"
        return format_html_join("", "<p>{}</p>", ((p,) for p in problemes))
