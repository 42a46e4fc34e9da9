"""Rules on a bureau's composition and its key holders (décret 2011-595 art. 11-III)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from isoloir.audit.models import Evenement
from isoloir.audit.services import journaliser
from isoloir.counting.models import BureauDeVote, MembreDuBureau, Role


def problemes_de_composition(bureau: BureauDeVote) -> list[str]:
    """What keeps this bureau from holding its key ceremony, in French, empty if nothing.

    A10: at least three keys, at least two thirds of them to délégués de liste, one to
    the président; the threshold can be met, and a count always needs the président and
    two délégués (A17), so the threshold is at least three."""
    membres = list(bureau.membres.select_related("liste__scrutin"))
    problemes = []
    roles = [m.role for m in membres]
    if roles.count(Role.PRESIDENT) != 1:
        problemes.append("Le bureau doit avoir un président.")
    if roles.count(Role.SECRETAIRE) != 1:
        problemes.append("Le bureau doit avoir un secrétaire.")
    scrutins = set(bureau.rattachements.values_list("scrutin_id", flat=True))
    if not scrutins:
        problemes.append("Aucun scrutin n'est rattaché au bureau.")
    for membre in membres:
        liste = membre.liste
        if membre.role == Role.DELEGUE and liste is not None and liste.scrutin_id not in scrutins:
            problemes.append(
                f"{membre.compte} représente la liste {liste.sigle}, "
                "qui n'est pas candidate à un scrutin de ce bureau."
            )
    detenteurs = [m for m in membres if m.detenteur_de_cle]
    delegues = [m for m in detenteurs if m.role == Role.DELEGUE]
    if len(detenteurs) < 3:
        problemes.append(f"Il faut au moins trois détenteurs de clé ; il y en a {len(detenteurs)}.")
    if 3 * len(delegues) < 2 * len(detenteurs):
        problemes.append(
            "Au moins deux tiers des clés doivent être détenues par des délégués de liste "
            f"({len(delegues)} sur {len(detenteurs)})."
        )
    if not any(m.role == Role.PRESIDENT for m in detenteurs):
        problemes.append("Le président doit détenir une clé.")
    if bureau.seuil < 3:
        problemes.append(
            "Le seuil doit être d'au moins trois clés : le dépouillement demande le "
            "président et deux délégués de liste."
        )
    if bureau.seuil > len(detenteurs):
        problemes.append(
            f"Le seuil ({bureau.seuil}) dépasse le nombre de détenteurs ({len(detenteurs)})."
        )
    return problemes


def presents_suffisent(bureau: BureauDeVote, *, presents: list[MembreDuBureau]) -> list[str]:
    """Whether these key holders may open the count (A17): the threshold, the président
    and at least two délégués. Returns what is missing, in French."""
    detenteurs = [m for m in presents if m.detenteur_de_cle and m.bureau_id == bureau.pk]
    manque = []
    if len(detenteurs) < bureau.seuil:
        manque.append(
            f"{len(detenteurs)} détenteur(s) de clé présent(s) sur les {bureau.seuil} requis."
        )
    if not any(m.role == Role.PRESIDENT for m in detenteurs):
        manque.append("Le président (ou son représentant détenteur de clé) doit être présent.")
    if sum(m.role == Role.DELEGUE for m in detenteurs) < 2:
        manque.append("Au moins deux délégués de liste détenteurs de clé doivent être présents.")
    return manque


def scrutins_du_membre(compte_id: int) -> list[int]:
    """The scrutins whose bureau this account sits on."""
    return list(
        BureauDeVote.objects.filter(membres__compte_id=compte_id).values_list(
            "rattachements__scrutin_id", flat=True
        )
    )


# --- Technical interventions (A12) ---------------------------------------------------------

TYPE_INTERVENTION = "intervention.technique"


class InterventionRefusee(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Intervention:
    le: datetime
    auteur: str
    motif: str


@transaction.atomic
def consigner_intervention(bureau: BureauDeVote, *, auteur: str, motif: str) -> Intervention:
    """Record a technical intervention on the voting system (décret 2011-595 art. 12, A12:
    only by the designated maintainers, only when data are at risk, and the bureau is
    told). It goes into the chained journal, where nobody can remove it, and the bureau
    sees it on its dashboard and in its minutes."""
    auteur, motif = auteur.strip(), " ".join(motif.split())
    if not auteur:
        raise InterventionRefusee("Nommez la personne qui intervient (mainteneur désigné).")
    if len(motif) < 10:
        raise InterventionRefusee(
            "Décrivez l'intervention et sa raison (au moins 10 caractères) : le bureau de "
            "vote en est informé."
        )
    evenement = journaliser(TYPE_INTERVENTION, bureau=bureau.pk, auteur=auteur, motif=motif)
    return Intervention(le=evenement.horodatage, auteur=auteur, motif=motif)


def interventions(bureau: BureauDeVote) -> list[Intervention]:
    """The bureau's technical interventions, oldest first."""
    return [
        Intervention(le=e.horodatage, auteur=e.details["auteur"], motif=e.details["motif"])
        for e in Evenement.objects.filter(
            type=TYPE_INTERVENTION, details__bureau=bureau.pk
        ).order_by("horodatage", "pk")
    ]
