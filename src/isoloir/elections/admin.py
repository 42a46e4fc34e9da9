from django.contrib import admin

from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin


class ScrutinInline(admin.TabularInline):
    model = Scrutin
    extra = 0
    fields = [
        "ordre",
        "code",
        "intitule",
        "type",
        "perimetre",
        "sieges_titulaires",
        "sieges_suppleants",
    ]
    show_change_link = True


@admin.register(Campagne)
class CampagneAdmin(admin.ModelAdmin):
    list_display = ["nom", "ouverture", "cloture"]
    prepopulated_fields = {"slug": ["nom"]}
    inlines = [ScrutinInline]


class ListeInline(admin.TabularInline):
    model = ListeCandidats
    extra = 0
    fields = ["ordre", "sigle", "denomination", "union", "profession_de_foi"]
    show_change_link = True


@admin.register(Scrutin)
class ScrutinAdmin(admin.ModelAdmin):
    list_display = [
        "intitule",
        "type",
        "perimetre",
        "campagne",
        "sieges_titulaires",
        "sieges_suppleants",
    ]
    list_filter = ["campagne", "type"]
    search_fields = ["intitule", "code", "perimetre"]
    inlines = [ListeInline]


class CandidatInline(admin.TabularInline):
    model = Candidat
    extra = 0


@admin.register(ListeCandidats)
class ListeCandidatsAdmin(admin.ModelAdmin):
    list_display = ["sigle", "denomination", "scrutin", "ordre"]
    list_filter = ["scrutin__campagne", "scrutin"]
    search_fields = ["sigle", "denomination", "union"]
    inlines = [CandidatInline]


@admin.register(Inscription)
class InscriptionAdmin(admin.ModelAdmin):
    list_display = ["electeur", "scrutin"]
    list_filter = ["scrutin__campagne", "scrutin"]
    search_fields = ["electeur__nom_naissance", "electeur__nom_usage", "electeur__compte__email"]
    list_select_related = ["electeur", "scrutin"]
    raw_id_fields = ["electeur"]
