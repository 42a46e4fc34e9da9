"""The claimant's mails: the acknowledgment with the receipt number, then the decision.

Composed at sending time from the claim as it is then. No secret in them: the receipt
number, the scrutin, the decision and its reason, and a link to the voter's claims page.
"""

from collections.abc import Callable

from django.urls import reverse

from isoloir.core.dates import date_heure_fr
from isoloir.notify.composition import Contenu, CourrielSansObjet, composeur, lien_absolu
from isoloir.notify.models import Courriel
from isoloir.reclamations.models import Reclamation, StatutReclamation


def _contexte(reclamation: Reclamation) -> dict[str, object]:
    electeur = reclamation.electeur
    return {
        "reclamation": reclamation,
        "reference": reclamation.reference,
        "salutation": electeur.formule_d_appel
        if electeur
        else f"{reclamation.prenoms.split()[0] if reclamation.prenoms else ''} "
        f"{(reclamation.nom_usage or reclamation.nom_naissance).upper()}".strip(),
        "campagne": reclamation.campagne.nom,
        "scrutin": reclamation.scrutin.intitule,
        "objet_reclamation": reclamation.get_type_display(),
        "depose_le": date_heure_fr(reclamation.depose_le, jour_de_semaine=True),
        # A person with no account yet has no page to look at: the mail says it all.
        "url": lien_absolu(reverse("reclamations:mes_reclamations"))
        if electeur is not None
        else "",
    }


def contenu_deposee(reclamation: Reclamation) -> Contenu:
    return Contenu(
        objet=f"Réclamation {reclamation.reference} enregistrée — {reclamation.campagne.nom}",
        gabarit="reclamations/mails/deposee",
        contexte=_contexte(reclamation),
    )


def contenu_decision(reclamation: Reclamation) -> Contenu:
    if reclamation.ouverte:
        raise CourrielSansObjet
    acceptee = reclamation.statut == StatutReclamation.ACCEPTEE
    return Contenu(
        objet=f"Réclamation {reclamation.reference} {'acceptée' if acceptee else 'rejetée'}",
        gabarit="reclamations/mails/decision",
        contexte={
            **_contexte(reclamation),
            "acceptee": acceptee,
            "motif": reclamation.motif,
            "nouvel_electeur": acceptee and reclamation.sans_compte,
        },
    )


CONTENUS: dict[str, Callable[[Reclamation], Contenu]] = {
    "reclamation_deposee": contenu_deposee,
    "reclamation_decision": contenu_decision,
}


def _reclamation(courriel: Courriel) -> Reclamation:
    reclamation = (
        Reclamation.objects.select_related("campagne", "scrutin", "electeur__compte")
        .filter(pk=courriel.contexte.get("reclamation_id"))
        .first()
    )
    if reclamation is None:
        raise CourrielSansObjet
    return reclamation


@composeur("reclamation_deposee")
def deposee(courriel: Courriel) -> Contenu:
    return contenu_deposee(_reclamation(courriel))


@composeur("reclamation_decision")
def decision(courriel: Courriel) -> Contenu:
    return contenu_decision(_reclamation(courriel))
