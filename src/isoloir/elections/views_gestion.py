"""The roll import in the espace de gestion: upload, progress, report, application.

The work runs in the background (elections/tasks.py), queued by import_liste/lancement.py;
these pages follow it. The progress page reloads itself without JavaScript, and with it the
shared script polls the JSON view; what both show is elections.selectors'
progression_de_l_import.
"""

import csv
import io

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from isoloir.core.requetes import adresse_du_client
from isoloir.elections.import_liste.depot import abandonner
from isoloir.elections.import_liste.etats import ImportRefuse
from isoloir.elections.import_liste.lancement import (
    appliquer_import,
    deposer_et_verifier,
    reprendre_import,
)
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.models import ETATS_ACTIFS, Campagne, EtatImport, ImportListe
from isoloir.elections.selectors import progression_de_l_import
from isoloir.gestion import roles
from isoloir.gestion.pages import rendre_gestion

TAILLE_MAXIMALE = 1024 * 1024 * 1024  # a national roll is about 200 MB


class FormulaireDepot(forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV de la liste électorale",
        help_text="UTF-8 ou Windows-1252, séparateur « ; » ou « , », une ligne d'en-tête. "
        "Le fichier est d'abord vérifié : rien ne change avant que vous l'appliquiez.",
    )

    def clean_fichier(self) -> object:
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAXIMALE:
            raise forms.ValidationError("Le fichier dépasse 1 Go.")
        return fichier


def _campagne(slug: str) -> Campagne:
    return get_object_or_404(Campagne, slug=slug)


def _fil(campagne: Campagne, *, import_page: bool = False) -> list[dict[str, str]]:
    fil = [{"url": reverse("gestion:campagne", args=[campagne.slug]), "titre": campagne.nom}]
    if import_page:
        fil.append(
            {
                "url": reverse("gestion_listes:importer", kwargs={"slug": campagne.slug}),
                "titre": "Liste électorale",
            }
        )
    return fil


@roles.administration
def importer(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = _campagne(slug)
    if request.method == "POST":
        formulaire = FormulaireDepot(request.POST, request.FILES)
        if formulaire.is_valid():
            fichier = formulaire.cleaned_data["fichier"]
            try:
                import_ = deposer_et_verifier(
                    campagne=campagne,
                    fichier=fichier,
                    nom_du_fichier=fichier.name,
                    compte_id=request.user.pk,
                    ip=adresse_du_client(request),
                )
            except ImportRefuse as refus:
                formulaire.add_error("fichier", str(refus))
            else:
                return redirect("gestion_listes:suivi", slug=slug, pk=import_.pk)
    else:
        formulaire = FormulaireDepot()
    return rendre_gestion(
        request,
        "gestion_listes/importer.html",
        "Liste électorale",
        fil_ariane=_fil(campagne),
        campagne=campagne,
        formulaire=formulaire,
        en_cours=campagne.imports_de_liste.filter(etat__in=ETATS_ACTIFS).first(),
        imports=campagne.imports_de_liste.select_related("depose_par")[:10],
    )


def _import(slug: str, pk: int) -> ImportListe:
    return get_object_or_404(
        ImportListe.objects.select_related("campagne"), pk=pk, campagne__slug=slug
    )


@roles.administration
def suivi(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    import_ = _import(slug, pk)
    campagne = import_.campagne
    rapport = RapportImport.depuis_json(import_.rapport)
    applique = RapportImport.depuis_json(import_.compteurs) if import_.compteurs else None
    return rendre_gestion(
        request,
        "gestion_listes/suivi.html",
        f"Import du fichier {import_.nom_du_fichier}",
        fil_ariane=_fil(campagne, import_page=True),
        campagne=campagne,
        import_=import_,
        etats=EtatImport,
        progression=progression_de_l_import(import_),
        rapport=rapport,
        applique=applique if import_.etat == EtatImport.APPLIQUE else None,
    )


@roles.administration
def progression_json(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    return JsonResponse(progression_de_l_import(_import(slug, pk)).en_json())


# The two answers of the form's question about the claimed inscriptions the file removes.
CHOIX_RECLAMATIONS = {"conserver": True, "retirer": False}


@roles.administration
@require_POST
def appliquer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    import_ = _import(slug, pk)
    # Absent when the check found no claimed inscription to remove: keeping is then moot,
    # and it is the safe side of a post that lost its field.
    choix = request.POST.get("reclamations", "conserver")
    if choix not in CHOIX_RECLAMATIONS:
        messages.error(
            request,
            "Choisissez de conserver ou de retirer les inscriptions ajoutées par une "
            "réclamation acceptée, puis appliquez.",
        )
        return redirect("gestion_listes:suivi", slug=slug, pk=pk)
    try:
        appliquer_import(
            import_,
            compte_id=request.user.pk,
            ip=adresse_du_client(request),
            conserver_reclamations=CHOIX_RECLAMATIONS[choix],
        )
    except ImportRefuse as refus:
        messages.error(request, str(refus))
    return redirect("gestion_listes:suivi", slug=slug, pk=pk)


@roles.administration
@require_POST
def reprendre(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Start a stopped import again: its worker died (the step resumes from its
    checkpoint), or the roll changed since the check (the file is checked again)."""
    if not reprendre_import(_import(slug, pk)):
        messages.info(request, "Cet import n'est pas arrêté : rien à reprendre.")
    return redirect("gestion_listes:suivi", slug=slug, pk=pk)


@roles.administration
@require_POST
def abandonner_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    import_ = _import(slug, pk)
    try:
        abandonner(import_, compte_id=request.user.pk, ip=adresse_du_client(request))
    except ImportRefuse as refus:
        messages.error(request, str(refus))
        return redirect("gestion_listes:suivi", slug=slug, pk=pk)
    messages.success(request, "Import abandonné : le fichier conservé a été supprimé.")
    return redirect("gestion_listes:importer", slug=slug)


@roles.administration
def erreurs_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The errors of a refused file, to fix it in a spreadsheet. Never a cell of the file:
    the messages quote none that could hold a NUMEN (import_liste/lecture.py)."""
    import_ = _import(slug, pk)
    rapport = RapportImport.depuis_json(import_.rapport)
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow(["ligne", "colonne", "erreur"])
    for erreur in rapport.erreurs:
        ecrivain.writerow([erreur.ligne or "fichier", erreur.colonne, erreur.raison])
    if rapport.erreurs_non_listees:
        ecrivain.writerow(["", "", f"… et {rapport.erreurs_non_listees} autre(s) erreur(s)."])
    reponse = HttpResponse("\ufeff" + sortie.getvalue(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="erreurs-import-{import_.pk}.csv"'
    return reponse
