"""The bureau de vote's own screens: its dashboard, the key ceremony, the sealing and the
count. Every secret step runs in the member's browser (counting/static/counting/
bureau.js over isoloir-seuil.js); these views only hand out public data and take back
public messages, which the services check before publishing them."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from isoloir.accounts.second_facteur import exige_second_facteur
from isoloir.booth import selectors as participation
from isoloir.booth.views import CSP_ISOLOIR
from isoloir.core.pages import rendre_page
from isoloir.counting import ceremonie, depouillement, scellement
from isoloir.counting.ceremonie import CeremonieRefusee
from isoloir.counting.models import (
    Depouillement,
    EtatCeremonie,
    MembreDuBureau,
    NatureDuMessage,
    Role,
)
from isoloir.counting.selectors import (
    EtatDuBureau,
    detenteurs_nommes,
    etat_du_bureau,
    membres_dans_l_ordre,
    siege_dans,
    sieges_du_compte,
)
from isoloir.counting.services import interventions
from isoloir.elections.models import Scrutin
from isoloir.elections.selectors import Phase

VueDuBureau = Callable[..., HttpResponse]

# The message each holder owes at each step of the ceremony.
ETAPE_EN_COURS: dict[str, str] = {
    EtatCeremonie.CLES_DE_COMMUNICATION: NatureDuMessage.COMMUNICATION,
    EtatCeremonie.DISTRIBUTION: NatureDuMessage.DISTRIBUTION,
    EtatCeremonie.RECEPTION: NatureDuMessage.RECEPTION,
}


def _page_du_bureau(
    request: HttpRequest, gabarit: str, titre: str, **contexte: object
) -> HttpResponse:
    """A page of the bureau's space: the main menu marks « Bureau de vote » as current."""
    return rendre_page(request, gabarit, titre, rubrique="bureau", **contexte)


def membre_du_bureau(vue: VueDuBureau) -> VueDuBureau:
    """Only the bureau's own members see its screens, after their second factor; the
    view gets their seat."""

    @wraps(vue)
    def enveloppe(request: HttpRequest, bureau_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        membre = siege_dans(bureau_id, int(request.user.pk or 0))
        if membre is None:
            raise PermissionDenied
        return vue(request, membre, *args, **kwargs)

    return exige_second_facteur(never_cache(enveloppe))


def _donnees(request: HttpRequest) -> Any:
    """The public message computed in the member's browser (JSON in a hidden field)."""
    try:
        return json.loads(request.POST.get("donnees", ""))
    except ValueError:
        raise CeremonieRefusee(
            "Le message calculé par votre navigateur est illisible : rechargez la page et "
            "recommencez."
        ) from None


def _exiger_president(membre: MembreDuBureau) -> None:
    if membre.role != Role.PRESIDENT:
        raise CeremonieRefusee("Seul le président du bureau peut faire cette opération.")


def _apres(request: HttpRequest, action: Callable[[], str], ou: str) -> HttpResponse:
    """Run a bureau operation; its French outcome, or refusal, is shown on ``ou``."""
    try:
        messages.success(request, action())
    except CeremonieRefusee as refus:
        messages.error(request, refus.message)
    return redirect(ou)


@exige_second_facteur
def espace(request: HttpRequest) -> HttpResponse:
    sieges = sieges_du_compte(int(request.user.pk or 0))
    if not sieges:
        raise PermissionDenied
    if len(sieges) == 1:
        return redirect("counting:bureau", bureau_id=sieges[0].bureau_id)
    return _page_du_bureau(
        request, "counting/bureau/espace.html", "Mes bureaux de vote", sieges=sieges
    )


@membre_du_bureau
def tableau_de_bord(request: HttpRequest, membre: MembreDuBureau) -> HttpResponse:
    etat = etat_du_bureau(membre)
    campagne = membre.bureau.campagne
    scrutins = [e.scrutin.pk for e in etat.scrutins]
    return _page_du_bureau(
        request,
        "counting/bureau/tableau_de_bord.html",
        f"{membre.bureau.nom} — bureau de vote",
        etat=etat,
        membres=membres_dans_l_ordre(membre.bureau),
        participation=participation.participation(campagne, parmi=scrutins)
        if etat.vote_commence
        else None,
        incidents=participation.incidents(campagne) if etat.vote_commence else None,
        interventions=interventions(membre.bureau),
    )


@require_POST
@membre_du_bureau
def ouvrir_ceremonie(request: HttpRequest, membre: MembreDuBureau) -> HttpResponse:
    def action() -> str:
        _exiger_president(membre)
        ceremonie.ouvrir(membre.bureau)
        return (
            "La cérémonie des clés est ouverte : chaque détenteur crée maintenant sa clé "
            "sur son propre appareil."
        )

    return _apres(request, action, reverse("counting:ceremonie", args=[membre.bureau_id]))


def _donnees_publiques_de_la_ceremonie(etat: EtatDuBureau) -> dict[str, Any]:
    """What the holder's browser needs at this step, all of it already public."""
    c = etat.ceremonie
    donnees: dict[str, Any] = {"bureau": identifiant_du_bureau(etat.membre), "indice": etat.indice}
    if c is None:
        return donnees
    try:
        donnees["contexte"] = ceremonie.contexte(c).vers_dict()
    except CeremonieRefusee:
        return donnees  # not every communication key is out yet
    donnees["distributions"] = [d.vers_dict() for d in ceremonie.distributions(c)]
    if etat.cle_etablie:
        donnees["cle"] = ceremonie.cle_du_bureau(c).vers_dict()
    return donnees


def identifiant_du_bureau(membre: MembreDuBureau) -> str:
    """The ceremony's identifier of the bureau (ceremonie.contexte): it names the holder's
    vault file, and is checked when the file is loaded back."""
    return ceremonie.identifiant_du_bureau(membre.bureau)


@csp_override(CSP_ISOLOIR)
@membre_du_bureau
def page_ceremonie(request: HttpRequest, membre: MembreDuBureau) -> HttpResponse:
    etat = etat_du_bureau(membre)
    if request.method == "POST":
        return _apres(
            request,
            lambda: _publier_a_la_ceremonie(request, etat),
            reverse("counting:ceremonie", args=[membre.bureau_id]),
        )
    etapes = [
        (NatureDuMessage.COMMUNICATION, "Clé de communication"),
        (NatureDuMessage.DISTRIBUTION, "Distribution des parts"),
        (NatureDuMessage.RECEPTION, "Vérification des parts reçues"),
    ]
    courante = ETAPE_EN_COURS.get(etat.ceremonie.etat) if etat.ceremonie else None
    return _page_du_bureau(
        request,
        "counting/bureau/ceremonie.html",
        f"Cérémonie des clés — {membre.bureau.nom}",
        etat=etat,
        deja_publie=courante is not None and etat.a_publie(courante),
        etapes=[libelle for _, libelle in etapes],
        detenteurs=[
            # Each step's label goes with its state: on a phone, the row becomes a card
            # whose cells are named by their column.
            (j, m, [(libelle, j in etat.publies.get(nature, [])) for nature, libelle in etapes])
            for j, m in (detenteurs_nommes(etat.ceremonie) if etat.ceremonie else [])
        ],
        donnees=_donnees_publiques_de_la_ceremonie(etat),
    )


def _publier_a_la_ceremonie(request: HttpRequest, etat: EtatDuBureau) -> str:
    c = etat.ceremonie
    if c is None:
        raise CeremonieRefusee("La cérémonie des clés n'est pas ouverte.")
    etape = request.POST.get("etape")
    donnees = _donnees(request)
    if etape == NatureDuMessage.COMMUNICATION:
        try:
            cle = bytes.fromhex(str(donnees.get("cle", "")))
        except (AttributeError, ValueError):
            raise CeremonieRefusee("Cette clé de communication n'est pas une clé valide.") from None
        ceremonie.publier_cle_de_communication(c, etat.membre, cle)
        return (
            "Votre clé de communication est publiée. Gardez le fichier de votre coffre et "
            "votre phrase de passe : ils vous seront demandés à chaque étape."
        )
    if etape == NatureDuMessage.DISTRIBUTION:
        ceremonie.publier_distribution(c, etat.membre, donnees)
        return "Vos parts sont distribuées, chiffrées pour chaque détenteur."
    if etape == NatureDuMessage.RECEPTION:
        if not isinstance(donnees, list):
            raise CeremonieRefusee("Plainte illisible.")
        ceremonie.publier_reception(c, etat.membre, donnees)
        if donnees:
            return (
                f"Vous avez publié {len(donnees)} plainte(s) : les parts en cause sont "
                "examinées publiquement."
            )
        return "Les parts qui vous sont destinées sont vérifiées : elles sont toutes bonnes."
    raise CeremonieRefusee("Étape de la cérémonie inconnue.")


@csp_override(CSP_ISOLOIR)
@membre_du_bureau
def page_scellement(request: HttpRequest, membre: MembreDuBureau) -> HttpResponse:
    etat = etat_du_bureau(membre)
    if request.method == "POST":
        return _apres(
            request,
            lambda: _sceller(request, etat),
            reverse("counting:scellement", args=[membre.bureau_id]),
        )
    sceau = etat.scellement
    return _page_du_bureau(
        request,
        "counting/bureau/scellement.html",
        f"Scellement — {membre.bureau.nom}",
        etat=etat,
        sceau=sceau,
        contenu_lisible=json.dumps(sceau.contenu, indent=2, ensure_ascii=False) if sceau else "",
        ecarts=scellement.verifier(membre.bureau) if etat.scelle else [],
        signataires=_signataires(etat),
        donnees={
            **_donnees_publiques_de_la_ceremonie(etat),
            "empreinte": sceau.empreinte if sceau else None,
        },
    )


def _signataires(etat: EtatDuBureau) -> list[tuple[int, MembreDuBureau]]:
    sceau = etat.scellement
    if sceau is None or etat.ceremonie is None:
        return []
    signes = {s["detenteur"] for s in sceau.signatures}
    return [(j, m) for j, m in detenteurs_nommes(etat.ceremonie) if j in signes]


def _sceller(request: HttpRequest, etat: EtatDuBureau) -> str:
    if request.POST.get("action") == "proposer":
        _exiger_president(etat.membre)
        scellement.proposer(etat.membre.bureau)
        return (
            "Le contenu du scellement est fixé. Le président et un délégué de liste le "
            "signent maintenant avec leur clé."
        )
    scellement.signer(etat.membre.bureau, etat.membre, _donnees(request))
    if etat_du_bureau(etat.membre).scelle:
        return "Votre signature est enregistrée : le bureau est scellé."
    return "Votre signature est enregistrée."


@csp_override(CSP_ISOLOIR)
@membre_du_bureau
def page_depouillement(
    request: HttpRequest, membre: MembreDuBureau, scrutin_id: int
) -> HttpResponse:
    scrutin = get_object_or_404(
        Scrutin, pk=scrutin_id, rattachement_au_bureau__bureau=membre.bureau
    )
    etat = etat_du_bureau(membre)
    ici = reverse("counting:depouillement", args=[membre.bureau_id, scrutin.pk])
    if request.method == "POST":
        return _apres(request, lambda: _depouiller(request, etat, scrutin), ici)
    du_scrutin = next(e for e in etat.scrutins if e.scrutin.pk == scrutin.pk)
    d = du_scrutin.depouillement
    parts = {p.contenu["detenteur"] for p in d.parts.all()} if d else set()
    return _page_du_bureau(
        request,
        "counting/bureau/depouillement.html",
        f"Dépouillement — {scrutin.intitule}",
        etat=etat,
        scrutin=scrutin,
        du_scrutin=du_scrutin,
        depouillement=d,
        clos=du_scrutin.phase is Phase.CLOS,
        detenteurs=[
            (j, m, j in parts)
            for j, m in (detenteurs_nommes(etat.ceremonie) if etat.ceremonie else [])
        ],
        a_publie=etat.indice in parts,
        donnees={
            **_donnees_publiques_de_la_ceremonie(etat),
            "sommes": d.sommes if d else None,
        },
    )


def _depouiller(request: HttpRequest, etat: EtatDuBureau, scrutin: Scrutin) -> str:
    action = request.POST.get("action")
    if action == "ouvrir":
        _exiger_president(etat.membre)
        d = depouillement.ouvrir(scrutin)
        return (
            f"Le dépouillement est ouvert : {d.bulletins} bulletin(s) vérifiés et "
            f"additionnés, pour {d.emargements} émargement(s). Les détenteurs de clé "
            "présents publient maintenant leur part de déchiffrement."
        )
    ouvert = Depouillement.objects.filter(scrutin=scrutin).first()
    if ouvert is None:
        raise CeremonieRefusee("Le dépouillement de ce scrutin n'est pas ouvert.")
    if action == "part":
        depouillement.publier_part(ouvert, etat.membre, _donnees(request))
        return "Votre part de déchiffrement est publiée ; sa preuve est vérifiée."
    if action == "calculer":
        _exiger_president(etat.membre)
        resultat = depouillement.calculer(ouvert)
        return (
            f"Résultat calculé : {resultat['votants']} votants, {resultat['blancs']} vote(s) "
            f"blanc(s), {resultat['exprimes']} suffrage(s) exprimé(s)."
        )
    raise CeremonieRefusee("Opération de dépouillement inconnue.")
