"""Instructing and deciding a claim: taking it, rejecting it, or accepting it together with
the change of the roll it implies (an inscription added or moved, an identity corrected, a
person on no roll made a voter).

Each decision runs in one transaction: the roll and the claim's status change together, or
neither (a sealed roll, a NUMEN already used, another administrator faster).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from isoloir.accounts import numen as numens
from isoloir.accounts.models import Compte, Electeur
from isoloir.accounts.services import envoyer_activation
from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.counting.models import MembreDuBureau
from isoloir.counting.signals import ScrutinScelle, refus_de_modification
from isoloir.elections.models import Inscription, Scrutin
from isoloir.reclamations.models import (
    CHAMPS_D_IDENTITE_RECLAMES,
    Reclamation,
    StatutReclamation,
    TypeReclamation,
)
from isoloir.reclamations.services.commun import (
    ReclamationRefusee,
    date_lisible,
    prevenir,
)


def _verrouiller(reclamation_id: int) -> Reclamation:
    # Only the claim's own row is locked: PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer join to the voter (a claim filed without an account has none).
    return (
        Reclamation.objects.select_for_update(of=("self",))
        .select_related("campagne", "scrutin", "electeur__compte")
        .get(pk=reclamation_id)
    )


def _qui(compte: Compte | None) -> str:
    if compte is None:
        return "un autre administrateur"
    return compte.nom_affiche or compte.email


def _deja_traitee(reclamation: Reclamation) -> ReclamationRefusee:
    if reclamation.statut == StatutReclamation.EN_COURS:
        return ReclamationRefusee(
            f"La réclamation {reclamation.reference} a déjà été prise en charge par "
            f"{_qui(reclamation.pris_en_charge_par)} "
            f"le {date_lisible(reclamation.pris_en_charge_le)}."
        )
    decision = "acceptée" if reclamation.statut == StatutReclamation.ACCEPTEE else "rejetée"
    return ReclamationRefusee(
        f"La réclamation {reclamation.reference} a déjà été {decision} par "
        f"{_qui(reclamation.decide_par)} le {date_lisible(reclamation.decide_le)}. Rien n'a été "
        "modifié."
    )


@transaction.atomic
def prendre_en_charge(*, reclamation_id: int, compte: Compte, ip: str = "") -> Reclamation:
    reclamation = _verrouiller(reclamation_id)
    if reclamation.statut != StatutReclamation.DEPOSEE:
        raise _deja_traitee(reclamation)
    reclamation.statut = StatutReclamation.EN_COURS
    reclamation.pris_en_charge_par = compte
    reclamation.pris_en_charge_le = horloge.maintenant()
    reclamation.save(update_fields=["statut", "pris_en_charge_par", "pris_en_charge_le"])
    journaliser(
        "reclamation.prise_en_charge", compte_id=compte.pk, ip=ip, reclamation=reclamation.pk
    )
    return reclamation


@transaction.atomic
def rejeter(*, reclamation_id: int, compte: Compte, motif: str, ip: str = "") -> Reclamation:
    motif = motif.strip()
    if not motif:
        raise ReclamationRefusee("Indiquez le motif du rejet : il est communiqué au réclamant.")
    reclamation = _verrouiller(reclamation_id)
    if not reclamation.ouverte:
        raise _deja_traitee(reclamation)
    _decider(reclamation, StatutReclamation.REJETEE, compte, motif)
    journaliser("reclamation.rejetee", compte_id=compte.pk, ip=ip, reclamation=reclamation.pk)
    prevenir(reclamation, type_courriel="reclamation_decision")
    return reclamation


def _decider(reclamation: Reclamation, statut: str, compte: Compte, motif: str) -> None:
    reclamation.statut = statut
    reclamation.decide_par = compte
    reclamation.decide_le = horloge.maintenant()
    reclamation.motif = motif
    if reclamation.pris_en_charge_par_id is None:
        reclamation.pris_en_charge_par = compte
        reclamation.pris_en_charge_le = reclamation.decide_le
    reclamation.save()


@dataclass(frozen=True)
class Decision:
    """What the administrator confirms when accepting: the right scrutin for a wrong
    one, the corrected identity, the NUMEN and address of a person on no roll."""

    motif: str = ""
    scrutin_souhaite: Scrutin | None = None
    identite: dict[str, Any] | None = None
    numen: str = ""
    email: str = ""


def accepter(
    *, reclamation_id: int, compte: Compte, decision: Decision, ip: str = ""
) -> Reclamation:
    """Accept the claim and apply the change of the roll it implies, together."""
    try:
        with transaction.atomic():
            reclamation = _verrouiller(reclamation_id)
            if not reclamation.ouverte:
                raise _deja_traitee(reclamation)
            if reclamation.sans_compte:
                changements = _inscrire_la_personne(reclamation, decision)
            elif reclamation.type == TypeReclamation.OMISSION:
                changements = _ajouter(reclamation)
            elif reclamation.type == TypeReclamation.MAUVAIS_SCRUTIN:
                changements = _deplacer(reclamation, decision.scrutin_souhaite)
            else:
                changements = _corriger(reclamation, decision.identite or {})
            _decider(reclamation, StatutReclamation.ACCEPTEE, compte, decision.motif.strip())
            journaliser(
                "reclamation.acceptee",
                compte_id=compte.pk,
                ip=ip,
                reclamation=reclamation.pk,
                electeur=reclamation.electeur_id,
                **changements,
            )
            prevenir(reclamation, type_courriel="reclamation_decision")
    except ScrutinScelle as scelle:
        # The roll changed under our checks (sealed meanwhile): all was undone.
        raise ReclamationRefusee(scelle.texte) from scelle
    except ValidationError as erreur:
        raise ReclamationRefusee(" ".join(erreur.messages)) from erreur
    return reclamation


def _refus_si_scelle(*scrutin_ids: int) -> None:
    """The seal's own refusal (counting/signals.py) for a new line on these rolls, raised
    before anything is written."""
    for scrutin_id in scrutin_ids:
        message = refus_de_modification(Inscription(scrutin_id=scrutin_id))
        if message:
            raise ReclamationRefusee(message)


def _ajouter(reclamation: Reclamation) -> dict[str, Any]:
    assert reclamation.electeur is not None
    _refus_si_scelle(reclamation.scrutin_id)
    _, cree = Inscription.objects.get_or_create(
        electeur=reclamation.electeur, scrutin=reclamation.scrutin
    )
    return {"inscription_ajoutee": reclamation.scrutin_id if cree else None}


def _deplacer(reclamation: Reclamation, vers: Scrutin | None) -> dict[str, Any]:
    electeur = reclamation.electeur
    assert electeur is not None
    if vers is None or vers.campagne_id != reclamation.campagne_id:
        raise ReclamationRefusee("Choisissez le scrutin sur lequel inscrire l'électeur.")
    if vers.pk == reclamation.scrutin_id:
        raise ReclamationRefusee(
            "Choisissez un scrutin différent de celui dont l'électeur doit être retiré."
        )
    _refus_si_scelle(reclamation.scrutin_id, vers.pk)
    retirees, _ = Inscription.objects.filter(
        electeur=electeur, scrutin_id=reclamation.scrutin_id
    ).delete()
    _, cree = Inscription.objects.get_or_create(electeur=electeur, scrutin=vers)
    reclamation.scrutin_souhaite = vers
    return {
        "inscription_retiree": reclamation.scrutin_id if retirees else None,
        "inscription_ajoutee": vers.pk if cree else None,
    }


def _corriger(reclamation: Reclamation, identite: dict[str, Any]) -> dict[str, Any]:
    electeur = reclamation.electeur
    assert electeur is not None
    electeur = Electeur.objects.select_for_update().get(pk=electeur.pk)
    # The émargement lists are printed from the roll the bureau sealed: its entries stay.
    _refus_si_scelle(
        *Inscription.objects.filter(
            electeur=electeur, scrutin__campagne=reclamation.campagne
        ).values_list("scrutin_id", flat=True)
    )
    modifies = []
    for champ in CHAMPS_D_IDENTITE_RECLAMES:
        if champ in identite and getattr(electeur, champ) != identite[champ]:
            setattr(electeur, champ, identite[champ])
            modifies.append(champ)
    if modifies:
        electeur.full_clean(exclude=["compte", "numen_empreinte"])
        electeur.save(update_fields=modifies)
    reclamation.electeur = electeur
    return {"champs_corriges": modifies}


def _inscrire_la_personne(reclamation: Reclamation, decision: Decision) -> dict[str, Any]:
    """Create the voter an anonymous claim asked for: account, voter, inscription."""
    _refus_si_scelle(reclamation.scrutin_id)
    numen = numens.valider(decision.numen)
    empreinte = numens.empreinte(numen)
    if Electeur.objects.filter(numen_empreinte=empreinte).exists():
        raise ReclamationRefusee(
            "Ce NUMEN est déjà celui d'un électeur : la personne a déjà un compte électeur. "
            "Vérifiez le NUMEN, ou rejetez la réclamation en lui indiquant de se connecter."
        )
    email = (decision.email or reclamation.email).strip().lower()
    compte = Compte.objects.filter(email=email).first()
    if compte is not None and Electeur.objects.filter(compte=compte).exists():
        raise ReclamationRefusee(f"L'adresse {email} est déjà celle d'un autre électeur.")
    if compte is not None and _compte_privilegie(compte):
        # The new voter would take over this account, and the activation mail sent below
        # lets whoever holds the address set its password: never for an account with
        # back-office rights or a seat in a bureau de vote.
        raise ReclamationRefusee(
            f"L'adresse {email} est celle d'un compte de gestion ou d'un membre d'un bureau "
            "de vote : elle ne peut pas devenir celle d'un électeur. Demandez à la personne "
            "une autre adresse professionnelle, ou rejetez la réclamation."
        )
    if compte is None:
        compte = Compte.objects.create_user(email)
    confirmee = decision.identite or {}
    identite = {k: confirmee.get(k, getattr(reclamation, k)) for k in CHAMPS_D_IDENTITE_RECLAMES}
    if not isinstance(identite["date_naissance"], date):
        raise ReclamationRefusee("Indiquez la date de naissance de la personne.")
    electeur = Electeur(compte=compte, numen_empreinte=empreinte, **identite)
    electeur.full_clean(exclude=["compte", "numen_empreinte"])
    electeur.save()
    Inscription.objects.create(electeur=electeur, scrutin=reclamation.scrutin)
    reclamation.electeur = electeur
    reclamation.email = email
    # The new voter activates their account like the others, from the mail's link.
    envoyer_activation(electeur=electeur)
    return {"compte_cree": compte.pk, "inscription_ajoutee": reclamation.scrutin_id}


def _compte_privilegie(compte: Compte) -> bool:
    return (
        compte.is_staff
        or compte.is_superuser
        or compte.groups.exists()
        or MembreDuBureau.objects.filter(compte=compte).exists()
    )
