"""Portal pages about the voter's scrutins, read-only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse

from isoloir.accounts.pages import electeur_et_campagne, rendre_page
from isoloir.elections import selectors


def _rendre(
    request: HttpRequest, gabarit: str, titre: str, rubrique: str, **contexte: object
) -> HttpResponse:
    fil_ariane = [{"url": reverse("accounts:accueil"), "titre": "Accueil"}]
    return rendre_page(
        request, gabarit, titre, rubrique=rubrique, fil_ariane=fil_ariane, **contexte
    )


@login_required
def mes_scrutins(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    scrutins = selectors.scrutins_avec_listes(electeur, campagne) if electeur and campagne else []
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
    )


@login_required
def profession_de_foi(request: HttpRequest, liste_id: int) -> FileResponse:
    electeur, _ = electeur_et_campagne(request)
    liste = selectors.liste_visible_par(electeur, liste_id) if electeur else None
    if liste is None or not liste.profession_de_foi:
        raise Http404("Profession de foi introuvable.")
    nom = f"profession-de-foi-{liste.scrutin.code}-{liste.sigle}.pdf"
    return FileResponse(
        liste.profession_de_foi.open("rb"), content_type="application/pdf", filename=nom
    )


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


@login_required
def reclamation(request: HttpRequest) -> HttpResponse:
    return _rendre(request, "elections/reclamation.html", "Formuler une réclamation", "scrutins")
