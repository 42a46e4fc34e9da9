"""The back-office's notices pages: generation with its progress, batches, deliveries.

Administration only (``roles.administration``: second factor proved). The PDFs hold codes
in clear: they are read from the data folder by :func:`telecharger` only, each download
journaled, and never served under a public URL.
"""

from typing import cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isoloir.core.requetes import adresse_du_client
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne
from isoloir.gestion import roles
from isoloir.gestion.pages import rendre_gestion
from isoloir.votecode import lancement, notices, remises, selectors
from isoloir.votecode.models import EtatRemise, GenerationDeNotices, LotDeNotices

PAR_PAGE = 50


class FormulaireLancement(forms.Form):
    confirmer_hors_delai = forms.BooleanField(
        required=False,
        label="Je confirme générer les notices après la date limite de remise",
    )


class FormulaireImport(forms.Form):
    fichier = forms.FileField(
        label="Liste des remises (CSV)",
        help_text="Colonnes : adresse électronique professionnelle (ou NUMEN), état, date. "
        "UTF-8 ou Windows-1252, séparateur « ; » ou « , ».",
        error_messages={
            "required": "Choisissez le fichier CSV de l'établissement.",
            "empty": "Le fichier est vide.",
        },
    )
    simulation = forms.BooleanField(
        required=False,
        initial=True,
        label="Vérifier seulement, sans rien enregistrer",
    )


class FormulaireRemise(forms.Form):
    etat = forms.ChoiceField(
        label="État de la notice",
        choices=EtatRemise.choices,
        error_messages={"required": "Choisissez un état.", "invalid_choice": "Choisissez un état."},
    )
    date = forms.DateField(
        label="Date",
        required=False,
        help_text="Obligatoire sauf « En attente ». Format : JJ/MM/AAAA.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Date attendue au format JJ/MM/AAAA."},
        widget=forms.DateInput(format="%d/%m/%Y"),
    )


def _campagne(slug: str) -> Campagne:
    return get_object_or_404(Campagne, slug=slug)


def _fil(campagne: Campagne, *suite: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"url": reverse("gestion:campagne", kwargs={"slug": campagne.slug}), "titre": campagne.nom},
        *suite,
    ]


def _fil_notices(campagne: Campagne, *suite: dict[str, str]) -> list[dict[str, str]]:
    return _fil(
        campagne,
        {
            "url": reverse("gestion_notices:tableau", kwargs={"slug": campagne.slug}),
            "titre": "Notices et codes de vote",
        },
        *suite,
    )


@roles.administration
@require_GET
def tableau(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = _campagne(slug)
    generation = GenerationDeNotices.objects.filter(campagne=campagne).first()
    return _rendre_tableau(request, campagne, generation, FormulaireLancement())


def _rendre_tableau(
    request: HttpRequest,
    campagne: Campagne,
    generation: GenerationDeNotices | None,
    formulaire: FormulaireLancement,
    status: int = 200,
) -> HttpResponse:
    lots = LotDeNotices.objects.filter(campagne=campagne).order_by("etablissement", "genere_le")
    reponse = rendre_gestion(
        request,
        "gestion_notices/tableau.html",
        "Notices et codes de vote",
        fil_ariane=_fil(campagne),
        campagne=campagne,
        generation=generation,
        progression=selectors.progression_de_la_generation(generation),
        # A run nobody works on any more: its worker died, or the queue is down.
        sans_nouvelles=generation is not None
        and generation.active
        and notices.bail_perime(generation),
        minutes_du_bail=int(notices.DUREE_DU_BAIL.total_seconds() // 60),
        remise_des_notices=calendrier(campagne).remise_des_notices,
        hors_delai=notices.hors_delai(campagne),
        formulaire=formulaire,
        # « Générer » is offered only when it can do something: no run alive, and voters
        # still without a code.
        sans_code=notices.nombre_sans_code(campagne),
        page=Paginator(lots, PAR_PAGE).get_page(request.GET.get("page")),
        url_progression=reverse("gestion_notices:progression", kwargs={"slug": campagne.slug}),
    )
    reponse.status_code = status
    return reponse


@roles.administration
@require_POST
def lancer(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = _campagne(slug)
    formulaire = FormulaireLancement(request.POST)
    formulaire.is_valid()  # a lone optional box: always valid
    try:
        lancement.lancer_generation(
            campagne=campagne,
            compte_id=request.user.pk,
            ip=adresse_du_client(request),
            confirmer_hors_delai=formulaire.cleaned_data.get("confirmer_hors_delai", False),
        )
    except notices.GenerationRefusee as refus:
        formulaire.add_error(None, str(refus))
        generation = GenerationDeNotices.objects.filter(campagne=campagne).first()
        return _rendre_tableau(request, campagne, generation, formulaire, status=409)
    messages.success(
        request, "La génération des notices est lancée : sa progression s'affiche ci-dessous."
    )
    return redirect("gestion_notices:tableau", slug=campagne.slug)


@roles.administration
@require_GET
def progression(request: HttpRequest, slug: str) -> JsonResponse:
    campagne = _campagne(slug)
    generation = GenerationDeNotices.objects.filter(campagne=campagne).first()
    return JsonResponse(selectors.progression_de_la_generation(generation).en_json())


@roles.administration
@require_GET
def telecharger(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    lot = get_object_or_404(
        LotDeNotices.objects.select_related("campagne"), pk=pk, campagne__slug=slug
    )
    try:
        flux = notices.ouvrir_lot(lot, compte_id=request.user.pk, ip=adresse_du_client(request))
    except notices.FichierIndisponible as erreur:
        raise Http404(str(erreur)) from None
    reponse = FileResponse(
        flux, as_attachment=True, filename=lot.fichier, content_type="application/pdf"
    )
    reponse["Cache-Control"] = "no-store"
    # A streamed response: the back-office's decorators type their views for HttpResponse.
    return cast(HttpResponse, reponse)


@roles.administration
@require_http_methods(["GET", "POST"])
def detruire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    lot = get_object_or_404(
        LotDeNotices.objects.select_related("campagne"), pk=pk, campagne__slug=slug
    )
    if request.method == "POST":
        deja = lot.detruit_le is not None
        lot = notices.detruire_lot(lot, compte_id=request.user.pk, ip=adresse_du_client(request))
        if not deja and lot.introuvable:
            # Nothing was unlinked: the file may still be somewhere, codes in clear.
            messages.warning(
                request,
                f"Fichier introuvable : {lot.chemin} (dans le dossier des notices). Rien "
                "n'a été détruit : recherchez ce fichier et supprimez-le vous-même. "
                "Le lot est marqué « introuvable » au journal.",
            )
        elif not deja:
            messages.success(request, f"Le fichier « {lot.fichier} » est détruit.")
        return redirect("gestion_notices:tableau", slug=slug)
    return rendre_gestion(
        request,
        "gestion_notices/detruire.html",
        "Détruire un fichier de notices",
        fil_ariane=_fil_notices(lot.campagne),
        campagne=lot.campagne,
        lot=lot,
    )


@roles.administration
@require_GET
def tableau_des_remises(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = _campagne(slug)
    recherche = request.GET.get("etablissement", "").strip()[:200]
    seulement_en_retard = request.GET.get("en_attente") == "1"
    # Filtered and paged by the database: one page of establishments, their number, and
    # the totals in one aggregate, instead of every establishment's row on each view.
    lignes = remises.lignes_du_tableau(
        campagne, recherche=recherche, seulement_en_attente=seulement_en_retard
    )
    totaux = remises.totaux_du_tableau(campagne, recherche=recherche)
    page = Paginator(lignes, PAR_PAGE).get_page(request.GET.get("page"))
    page.object_list = [remises.ligne_du_tableau(ligne) for ligne in page.object_list]
    return rendre_gestion(
        request,
        "gestion_notices/remises.html",
        "Remise des notices",
        fil_ariane=_fil_notices(campagne),
        campagne=campagne,
        page=page,
        totaux=totaux,
        recherche=recherche,
        seulement_en_retard=seulement_en_retard,
        parametres=_requete(etablissement=recherche, en_attente="1" if seulement_en_retard else "")
        + "&",
        retard=remises.retard(campagne),
        remise_des_notices=calendrier(campagne).remise_des_notices,
    )


@roles.administration
@require_http_methods(["GET", "POST"])
def importer(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = _campagne(slug)
    rapport = None
    envoi = request.method == "POST"
    formulaire = FormulaireImport(request.POST if envoi else None, request.FILES if envoi else None)
    if envoi and formulaire.is_valid():
        rapport = remises.importer_remises(
            formulaire.cleaned_data["fichier"],
            campagne=campagne,
            simulation=formulaire.cleaned_data["simulation"],
            compte_id=request.user.pk,
            ip=adresse_du_client(request),
        )
        if not rapport.refuse and not rapport.simulation:
            messages.success(
                request,
                f"Import enregistré : {rapport.total_modifiees} notice(s) mise(s) à jour, "
                f"{rapport.inchangees} inchangée(s).",
            )
            return redirect("gestion_notices:remises", slug=campagne.slug)
    return rendre_gestion(
        request,
        "gestion_notices/importer.html",
        "Importer une liste de remises",
        fil_ariane=_fil_notices(
            campagne,
            {
                "url": reverse("gestion_notices:remises", kwargs={"slug": campagne.slug}),
                "titre": "Remise des notices",
            },
        ),
        campagne=campagne,
        formulaire=formulaire,
        rapport=rapport,
    )


@roles.administration
@require_GET
def etablissement(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = _campagne(slug)
    nom = request.GET.get("nom", "")[:200]
    electeurs = remises.electeurs_de_l_etablissement(campagne, nom)
    page = Paginator(electeurs, PAR_PAGE).get_page(request.GET.get("page"))
    if not page.object_list and page.number == 1:
        raise Http404("Aucun électeur de la campagne dans cet établissement.")
    lignes = [(electeur, remises.remise_de(electeur)) for electeur in page.object_list]
    return rendre_gestion(
        request,
        "gestion_notices/etablissement.html",
        nom or notices.SANS_ETABLISSEMENT,
        fil_ariane=_fil_notices(
            campagne,
            {
                "url": reverse("gestion_notices:remises", kwargs={"slug": campagne.slug}),
                "titre": "Remise des notices",
            },
        ),
        campagne=campagne,
        nom=nom,
        page=page,
        parametres=_requete(nom=nom) + "&",
        lignes=lignes,
        retard=remises.retard(campagne),
    )


@roles.administration
@require_http_methods(["GET", "POST"])
def modifier_remise(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campagne = _campagne(slug)
    electeur = get_object_or_404(remises.electeurs_de(campagne).select_related("compte"), pk=pk)
    remise = remises.remise_de(electeur)
    formulaire = FormulaireRemise(
        request.POST if request.method == "POST" else None,
        initial={"etat": remise.etat, "date": remise.date},
    )
    if request.method == "POST" and formulaire.is_valid():
        try:
            modifie = remises.modifier_remise(
                electeur,
                etat=formulaire.cleaned_data["etat"],
                jour=formulaire.cleaned_data["date"],
                compte_id=request.user.pk,
                ip=adresse_du_client(request),
            )
        except remises.RemiseInvalide as refus:
            formulaire.add_error(refus.champ, refus.message)
        else:
            messages.success(
                request,
                "État de la notice enregistré." if modifie else "Rien n'a changé.",
            )
            url = reverse("gestion_notices:etablissement", kwargs={"slug": campagne.slug})
            return redirect(f"{url}?{_requete(nom=electeur.etablissement)}")
    url_etablissement = reverse("gestion_notices:etablissement", kwargs={"slug": campagne.slug})
    return rendre_gestion(
        request,
        "gestion_notices/modifier_remise.html",
        f"Notice de {electeur.formule_d_appel}",
        fil_ariane=_fil_notices(
            campagne,
            {
                "url": reverse("gestion_notices:remises", kwargs={"slug": campagne.slug}),
                "titre": "Remise des notices",
            },
            {
                "url": f"{url_etablissement}?{_requete(nom=electeur.etablissement)}",
                "titre": electeur.etablissement or notices.SANS_ETABLISSEMENT,
            },
        ),
        campagne=campagne,
        electeur=electeur,
        remise=remise,
        formulaire=formulaire,
    )


def _requete(**parametres: str) -> str:
    return urlencode(parametres)
