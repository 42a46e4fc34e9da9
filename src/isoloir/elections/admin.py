from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path

from isoloir.accounts import services
from isoloir.accounts.admin import message_activation
from isoloir.accounts.models import Electeur
from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin
from isoloir.elections.verrous import refus_de_modification, refus_de_suppression


class FormulaireScelle(forms.ModelForm):
    """A change to what a bureau has sealed is refused here, next to the form, rather than
    by the pre_save receiver (counting/signals.py) as a server error."""

    def _post_clean(self) -> None:
        # After Django's own _post_clean, self.instance holds the form's new values.
        super()._post_clean()  # type: ignore[misc]
        message = refus_de_modification(self.instance)
        if message:
            self.add_error(None, message)


class FormsetScelle(forms.BaseInlineFormSet):
    """An inline row of a sealed object ticked for deletion is refused with the message."""

    def clean(self) -> None:
        super().clean()
        for formulaire in self.deleted_forms:
            if formulaire.instance.pk is not None:
                message = refus_de_suppression(formulaire.instance)
                if message:
                    raise forms.ValidationError(message)


class ProtegeParLeScellement:
    """Sealed objects keep no delete button (the pre_delete receiver refuses anyway)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and refus_de_suppression(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class ScrutinInline(ProtegeParLeScellement, admin.TabularInline):
    model = Scrutin
    form = FormulaireScelle
    formset = FormsetScelle
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
    form = FormulaireScelle
    list_display = ["nom", "ouverture", "cloture"]
    prepopulated_fields = {"slug": ["nom"]}
    inlines = [ScrutinInline]
    actions = ["envoyer_activations"]

    @admin.action(description="Envoyer le courriel d'activation aux électeurs non activés")
    def envoyer_activations(self, request: HttpRequest, queryset: QuerySet[Campagne]) -> None:
        electeurs = Electeur.objects.filter(inscriptions__scrutin__campagne__in=queryset).distinct()
        programmes, ignores = services.envoyer_activations(electeurs=electeurs)
        message_activation(self, request, programmes, ignores)

    def get_urls(self) -> list[URLPattern]:
        # Before the default patterns, whose "<path:object_id>/" would catch this address.
        return [
            path(
                "<path:object_id>/importer-liste-electorale/",
                self.admin_site.admin_view(self.importer_liste_electorale),
                name="elections_campagne_importer_liste",
            ),
            *super().get_urls(),
        ]

    def importer_liste_electorale(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The import lives in the espace de gestion (elections/views_gestion.py), where a
        national file is checked and applied in the background with its progress shown:
        this page of the back-office technique leads there."""
        campagne = self.get_object(request, unquote(object_id))
        if campagne is None:
            raise Http404("Cette campagne n'existe pas.")
        if not self.has_change_permission(request, campagne):
            raise PermissionDenied
        return redirect("gestion_listes:importer", slug=campagne.slug)


class ListeInline(ProtegeParLeScellement, admin.TabularInline):
    model = ListeCandidats
    form = FormulaireScelle
    formset = FormsetScelle
    extra = 0
    fields = ["ordre", "sigle", "denomination", "union", "profession_de_foi"]
    show_change_link = True


@admin.register(Scrutin)
class ScrutinAdmin(ProtegeParLeScellement, admin.ModelAdmin):
    form = FormulaireScelle
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


class CandidatInline(ProtegeParLeScellement, admin.TabularInline):
    model = Candidat
    form = FormulaireScelle
    formset = FormsetScelle
    extra = 0


@admin.register(ListeCandidats)
class ListeCandidatsAdmin(ProtegeParLeScellement, admin.ModelAdmin):
    form = FormulaireScelle
    list_display = ["sigle", "denomination", "scrutin", "ordre"]
    list_filter = ["scrutin__campagne", "scrutin"]
    search_fields = ["sigle", "denomination", "union"]
    inlines = [CandidatInline]


@admin.register(Inscription)
class InscriptionAdmin(ProtegeParLeScellement, admin.ModelAdmin):
    form = FormulaireScelle
    list_display = ["electeur", "scrutin"]
    list_filter = ["scrutin__campagne", "scrutin"]
    search_fields = ["electeur__nom_naissance", "electeur__nom_usage", "electeur__compte__email"]
    list_select_related = ["electeur", "scrutin"]
    raw_id_fields = ["electeur"]
