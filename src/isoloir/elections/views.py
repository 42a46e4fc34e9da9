"""Portal pages about the voter's scrutins, read-only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse

from isoloir.core.pages import rendre_page
from isoloir.elections import selectors
from isoloir.elections.pages import electeur_et_campagne


def _rendre(
    request: HttpRequest,
    gabarit: str,
    titre: str,
    rubrique: str,
    *,
    parents: list[dict[str, str]] | None = None,
    **contexte: object,
) -> HttpResponse:
    fil_ariane = [{"url": reverse("portail:accueil"), "titre": "Accueil"}, *(parents or [])]
    return rendre_page(
        request, gabarit, titre, rubrique=rubrique, fil_ariane=fil_ariane, **contexte
    )


@login_required
def mes_scrutins(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    # Each scrutin with its lists in ballot order, each list with « PDF, 1,2 Mo » or None.
    scrutins = [
        (
            scrutin,
            [
                (liste, selectors.description_profession_de_foi(liste))
                for liste in scrutin.listes.all()
            ],
        )
        for scrutin in (
            selectors.scrutins_avec_listes(electeur, campagne) if electeur and campagne else []
        )
    ]
    return _rendre(
        request,
        "elections/mes_scrutins.html",
        "Mes scrutins et leurs listes de candidats",
        "scrutins",
        scrutins=scrutins,
    )


@login_required
def listes_electorales(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    scrutins = selectors.effectifs_des_scrutins(electeur, campagne) if electeur and campagne else []
    return _rendre(
        request,
        "elections/listes_electorales.html",
        "Listes électorales de mes scrutins",
        "scrutins",
        scrutins=scrutins,
        consultation=selectors.etat_consultation(campagne),
    )


@login_required
def liste_electorale(request: HttpRequest, scrutin_id: int) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    scrutin = (
        selectors.scrutin_de_l_electeur(electeur, campagne, scrutin_id)
        if electeur and campagne
        else None
    )
    if scrutin is None:
        # Someone else's scrutin answers like one that does not exist.
        raise Http404("Liste électorale introuvable.")
    consultation = selectors.etat_consultation(campagne)
    recherche = selectors.terme_de_recherche(request.GET.get("nom", ""))
    page = (
        selectors.page_de_liste(scrutin, recherche=recherche, numero=request.GET.get("page", 1))
        if consultation.ouverte
        else None
    )
    return _rendre(
        request,
        "elections/liste_electorale.html",
        f"Liste électorale — {scrutin.intitule}",
        "scrutins",
        parents=[
            {
                "url": reverse("elections:listes_electorales"),
                "titre": "Listes électorales de mes scrutins",
            }
        ],
        scrutin=scrutin,
        consultation=consultation,
        recherche=recherche,
        page=page,
        pages=page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        if page
        else [],
    )


def _profession_de_foi(
    request: HttpRequest, liste_id: int, *, en_piece_jointe: bool
) -> FileResponse:
    electeur, _ = electeur_et_campagne(request)
    liste = selectors.liste_visible_par(electeur, liste_id) if electeur else None
    if liste is None or not liste.profession_de_foi:
        raise Http404("Profession de foi introuvable.")
    nom = f"profession-de-foi-{liste.scrutin.code}-{liste.sigle}.pdf"
    return FileResponse(
        liste.profession_de_foi.open("rb"),
        content_type="application/pdf",
        filename=nom,
        as_attachment=en_piece_jointe,
    )


@login_required
def profession_de_foi(request: HttpRequest, liste_id: int) -> FileResponse:
    """Shown in the browser's PDF reader (``Content-Disposition: inline``)."""
    return _profession_de_foi(request, liste_id, en_piece_jointe=False)


@login_required
def profession_de_foi_telechargement(request: HttpRequest, liste_id: int) -> FileResponse:
    """Saved as a file (``Content-Disposition: attachment``)."""
    return _profession_de_foi(request, liste_id, en_piece_jointe=True)


@login_required
def je_vote(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    scrutins = [
        (scrutin, selectors.fenetre_du_scrutin(scrutin))
        for scrutin in (selectors.scrutins_de(electeur, campagne) if electeur and campagne else [])
    ]
    return _rendre(
        request,
        "elections/je_vote.html",
        "Consulter les scrutins, les candidatures et voter",
        "vote",
        scrutins=scrutins,
    )
