"""Portal pages about the voter's scrutins, read-only."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from isoloir.elections import selectors


def _contexte(request: HttpRequest, titre: str, rubrique: str) -> dict[str, object]:
    electeur = getattr(request.user, "electeur", None)
    campagne = selectors.campagne_de(electeur) if electeur else None
    return {
        "titre": titre,
        "rubrique": rubrique,
        "electeur": electeur,
        "campagne": campagne,
        "fil_ariane": [{"url": reverse("accounts:accueil"), "titre": "Accueil"}],
    }


@login_required
def mes_scrutins(request: HttpRequest) -> HttpResponse:
    contexte = _contexte(request, "Mes scrutins et leurs listes de candidats", "scrutins")
    electeur, campagne = contexte["electeur"], contexte["campagne"]
    scrutins = selectors.scrutins_avec_listes(electeur, campagne) if campagne else []
    return render(request, "elections/mes_scrutins.html", {**contexte, "scrutins": scrutins})


@login_required
def listes_electorales(request: HttpRequest) -> HttpResponse:
    contexte = _contexte(request, "Listes électorales de mes scrutins", "scrutins")
    electeur, campagne = contexte["electeur"], contexte["campagne"]
    scrutins = selectors.effectifs_des_scrutins(electeur, campagne) if campagne else []
    return render(request, "elections/listes_electorales.html", {**contexte, "scrutins": scrutins})


@login_required
def profession_de_foi(request: HttpRequest, liste_id: int) -> FileResponse:
    electeur = getattr(request.user, "electeur", None)
    liste = selectors.liste_visible_par(electeur, liste_id) if electeur else None
    if liste is None or not liste.profession_de_foi:
        raise Http404("Profession de foi introuvable.")
    nom = f"profession-de-foi-{liste.scrutin.code}-{liste.sigle}.pdf"
    return FileResponse(
        liste.profession_de_foi.open("rb"), content_type="application/pdf", filename=nom
    )


@login_required
def je_vote(request: HttpRequest) -> HttpResponse:
    contexte = _contexte(request, "Consulter les scrutins, les candidatures et voter", "vote")
    electeur, campagne = contexte["electeur"], contexte["campagne"]
    scrutins = [
        (scrutin, selectors.fenetre_du_scrutin(scrutin))
        for scrutin in (selectors.scrutins_de(electeur, campagne) if campagne else [])
    ]
    return render(request, "elections/je_vote.html", {**contexte, "scrutins": scrutins})


@login_required
def reclamation(request: HttpRequest) -> HttpResponse:
    contexte = _contexte(request, "Formuler une réclamation", "scrutins")
    return render(request, "elections/reclamation.html", contexte)
