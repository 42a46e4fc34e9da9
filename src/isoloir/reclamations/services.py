"""Filing claims about the electoral roll and deciding them.

Each service runs in one transaction: a claim is filed with its attachments and its
receipt number or not at all; a decision changes the roll and the claim's status together,
or neither (a sealed roll, a NUMEN already used, another administrator faster).
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from isoloir.accounts import numen as numens
from isoloir.accounts.models import Compte, Electeur
from isoloir.accounts.services import envoyer_activation
from isoloir.audit.services import journaliser
from isoloir.core import clock, throttle
from isoloir.core.dates import date_heure_fr
from isoloir.counting.models import MembreDuBureau
from isoloir.counting.signals import ScrutinScelle, refus_de_modification
from isoloir.elections.calendrier import calendrier, reclamations_ouvertes
from isoloir.elections.models import Campagne, Inscription, Scrutin
from isoloir.notify import services as courriels
from isoloir.notify.composition import construire
from isoloir.reclamations.mails import CONTENUS
from isoloir.reclamations.models import (
    CompteurDeReclamations,
    PieceJointe,
    Reclamation,
    StatutReclamation,
    TypeReclamation,
)
from isoloir.reclamations.pieces import PieceVerifiee

journal = logging.getLogger(__name__)

# A voter files a handful of claims at most; the anonymous form sends a mail to the
# address typed in it, so it is capped per address as well as per IP.
PAR_ELECTEUR = throttle.Limit("reclamation-electeur", 10, 24 * 3600)
PAR_IP = throttle.Limit("reclamation-ip", 10, 3600)
PAR_ADRESSE = throttle.Limit("reclamation-adresse", 3, 24 * 3600)

CHAMPS_D_IDENTITE = (
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "etablissement",
)


class ReclamationRefusee(Exception):
    """What the person asked cannot be done; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TropDeReclamations(ReclamationRefusee):
    def __init__(self) -> None:
        super().__init__(
            "Vous avez déposé de nombreuses réclamations en peu de temps. Réessayez plus "
            "tard, ou contactez l'assistance."
        )


@dataclass(frozen=True)
class Depot:
    reclamation: Reclamation
    cree: bool  # False: the same form had already been posted, nothing new was filed


def _date(instant: Any) -> str:
    return date_heure_fr(instant, jour_de_semaine=True)


def message_periode(campagne: Campagne) -> str:
    """Why a claim cannot be filed now, with the campaign's claim period."""
    periode = calendrier(campagne).reclamations
    if periode is None:
        return (
            f"Les listes électorales de la campagne « {campagne.nom} » ne sont pas encore "
            "publiées : les réclamations ne sont pas ouvertes."
        )
    if clock.now() < periode.debut:
        return (
            f"Les réclamations sur les listes électorales de la campagne « {campagne.nom} » "
            f"seront ouvertes du {_date(periode.debut)} au {_date(periode.fin)}."
        )
    return (
        f"Les réclamations sur les listes électorales de la campagne « {campagne.nom} » "
        f"étaient ouvertes du {_date(periode.debut)} au {_date(periode.fin)} : ce délai est "
        "expiré."
    )


def campagnes_ouvertes() -> list[Campagne]:
    """The campaigns whose claim period runs now (the anonymous form's choices)."""
    return [
        c
        for c in Campagne.objects.filter(publication_des_listes__isnull=False).order_by("nom")
        if reclamations_ouvertes(c)
    ]


# --- Filing ------------------------------------------------------------------------------


def deposer(
    *,
    electeur: Electeur,
    campagne: Campagne,
    type: str,
    scrutin: Scrutin,
    explication: str,
    jeton: uuid.UUID,
    scrutin_souhaite: Scrutin | None = None,
    identite: dict[str, Any] | None = None,
    pieces: Iterable[PieceVerifiee] = (),
    ip: str = "",
) -> Depot:
    """File a voter's claim. The same ``jeton`` (the form's) files one claim however
    many times it is posted: the later posts get the first one back."""
    deja = _deja_deposee(jeton, electeur=electeur)
    if deja is not None:
        return Depot(deja, cree=False)
    if scrutin.campagne_id != campagne.pk or (
        scrutin_souhaite is not None and scrutin_souhaite.campagne_id != campagne.pk
    ):
        raise ReclamationRefusee("Choisissez un scrutin de votre campagne.")
    _verifier_coherence(electeur, type, scrutin, scrutin_souhaite)
    if not reclamations_ouvertes(campagne):
        raise ReclamationRefusee(message_periode(campagne))
    if throttle.depasse(PAR_ELECTEUR, throttle.compter(PAR_ELECTEUR, str(electeur.compte_id))):
        raise TropDeReclamations
    champs: dict[str, Any] = {}
    if type == TypeReclamation.IDENTITE:
        champs = {k: v for k, v in (identite or {}).items() if k in CHAMPS_D_IDENTITE and v}
    return _enregistrer(
        campagne=campagne,
        jeton=jeton,
        electeur=electeur,
        champs=dict(
            type=type,
            scrutin=scrutin,
            scrutin_souhaite=scrutin_souhaite if type == TypeReclamation.MAUVAIS_SCRUTIN else None,
            explication=explication,
            **champs,
        ),
        pieces=list(pieces),
        ip=ip,
    )


def deposer_sans_compte(
    *,
    scrutin: Scrutin,
    explication: str,
    identite: dict[str, Any],
    email: str,
    jeton: uuid.UUID,
    pieces: Iterable[PieceVerifiee] = (),
    ip: str = "",
) -> Depot:
    """File the claim of a person on no roll, who says who they are: the administration
    checks it, then creates the voter when accepting it."""
    deja = _deja_deposee(jeton, electeur=None)
    if deja is not None:
        return Depot(deja, cree=False)
    campagne = scrutin.campagne
    if not reclamations_ouvertes(campagne):
        raise ReclamationRefusee(message_periode(campagne))
    email = email.strip().lower()
    if throttle.depasse(PAR_IP, throttle.compter(PAR_IP, ip or "inconnue")) or throttle.depasse(
        PAR_ADRESSE, throttle.compter(PAR_ADRESSE, email)
    ):
        raise TropDeReclamations
    champs = {k: identite.get(k) or "" for k in CHAMPS_D_IDENTITE if k != "date_naissance"}
    return _enregistrer(
        campagne=campagne,
        jeton=jeton,
        electeur=None,
        champs=dict(
            type=TypeReclamation.OMISSION,
            scrutin=scrutin,
            explication=explication,
            sans_compte=True,
            email=email,
            date_naissance=identite.get("date_naissance"),
            **champs,
        ),
        pieces=list(pieces),
        ip=ip,
    )


def _deja_deposee(jeton: uuid.UUID, *, electeur: Electeur | None) -> Reclamation | None:
    deja = Reclamation.objects.select_related("campagne").filter(jeton=jeton).first()
    if deja is None:
        return None
    if deja.sans_compte != (electeur is None) or (
        electeur is not None and deja.electeur_id != electeur.pk
    ):
        raise ReclamationRefusee("Ce formulaire a expiré : rechargez la page et recommencez.")
    return deja


def _verifier_coherence(
    electeur: Electeur, type: str, scrutin: Scrutin, scrutin_souhaite: Scrutin | None
) -> None:
    if type not in TypeReclamation.values:
        raise ReclamationRefusee("Choisissez l'objet de votre réclamation.")
    inscrit = Inscription.objects.filter(electeur=electeur, scrutin=scrutin).exists()
    if type == TypeReclamation.OMISSION and inscrit:
        raise ReclamationRefusee(
            f"Vous figurez déjà sur la liste électorale du scrutin « {scrutin} »."
        )
    if type in (TypeReclamation.MAUVAIS_SCRUTIN, TypeReclamation.IDENTITE) and not inscrit:
        raise ReclamationRefusee(
            f"Vous ne figurez pas sur la liste électorale du scrutin « {scrutin} » : "
            "choisissez un de vos scrutins."
        )
    if (
        type == TypeReclamation.MAUVAIS_SCRUTIN
        and scrutin_souhaite is not None
        and (
            scrutin_souhaite.pk == scrutin.pk
            or Inscription.objects.filter(electeur=electeur, scrutin=scrutin_souhaite).exists()
        )
    ):
        raise ReclamationRefusee(
            "Le scrutin demandé doit être un scrutin sur lequel vous n'êtes pas inscrit."
        )


def _prochain_numero(campagne: Campagne) -> int:
    """The campaign's next receipt number. The counter's row stays locked by the
    UPDATE until the claim is committed, so two claims filed at once never share one."""
    for _ in range(3):
        if CompteurDeReclamations.objects.filter(campagne=campagne).update(
            dernier=F("dernier") + 1
        ):
            return CompteurDeReclamations.objects.get(campagne=campagne).dernier
        try:
            with transaction.atomic():
                CompteurDeReclamations.objects.create(campagne=campagne, dernier=1)
            return 1
        except IntegrityError:  # created by a claim filed at the same instant
            continue
    raise RuntimeError("compteur de réclamations introuvable")


def _enregistrer(
    *,
    campagne: Campagne,
    jeton: uuid.UUID,
    electeur: Electeur | None,
    champs: dict[str, Any],
    pieces: list[PieceVerifiee],
    ip: str,
) -> Depot:
    stockes: list[PieceJointe] = []
    try:
        with transaction.atomic():
            if Reclamation.objects.filter(jeton=jeton).exists():
                raise IntegrityError("jeton")
            reclamation = Reclamation(
                campagne=campagne,
                jeton=jeton,
                electeur=electeur,
                numero=_prochain_numero(campagne),
                depose_le=clock.now(),
                **champs,
            )
            reclamation.save()
            for piece in pieces:
                jointe = PieceJointe(
                    reclamation=reclamation,
                    nom=piece.nom,
                    type_mime=piece.type_mime,
                    taille=piece.taille,
                )
                piece.fichier.seek(0)
                jointe.fichier.save(piece.nom, piece.fichier, save=False)
                stockes.append(jointe)
                jointe.save()
            journaliser(
                "reclamation.deposee",
                compte_id=electeur.compte_id if electeur else None,
                ip=ip,
                reclamation=reclamation.pk,
                campagne=campagne.pk,
                scrutin=reclamation.scrutin_id,
                objet=reclamation.type,
                pieces=len(stockes),
            )
            _prevenir(reclamation, "reclamation_deposee")
    except IntegrityError:
        # The same form, posted twice at once: the other post filed it.
        _effacer(stockes)
        deja = _deja_deposee(jeton, electeur=electeur)
        if deja is None:
            raise
        return Depot(deja, cree=False)
    except BaseException:
        _effacer(stockes)
        raise
    return Depot(reclamation, cree=True)


def _effacer(pieces: list[PieceJointe]) -> None:
    """Files written for a claim whose transaction was rolled back."""
    for piece in pieces:
        if piece.fichier.name:
            piece.fichier.storage.delete(piece.fichier.name)


# --- Mails -------------------------------------------------------------------------------


def _prevenir(reclamation: Reclamation, type_courriel: str) -> None:
    """Mail the claimant. A voter's mail is queued like every other; a person with no
    account yet has no queue entry to hang it on (a queued mail belongs to an account), so
    theirs is sent from the request, once the transaction is committed."""
    if reclamation.electeur is not None:
        compte = reclamation.electeur.compte
        courriels.programmer(
            type_courriel=type_courriel,
            compte_id=compte.pk,
            destinataire=compte.email,
            contexte={"reclamation_id": reclamation.pk},
        )
        return
    reclamation_id = reclamation.pk
    transaction.on_commit(lambda: _envoyer_sans_compte(reclamation_id, type_courriel))


def _envoyer_sans_compte(reclamation_id: int, type_courriel: str) -> None:
    reclamation = Reclamation.objects.select_related("campagne", "scrutin").get(pk=reclamation_id)
    message = construire(CONTENUS[type_courriel](reclamation), destinataire=reclamation.email)
    try:
        courriels.envoyer_sans_file(message)
    except courriels.EnvoiEchoue:
        # The claim is filed all the same and its number is on the confirmation page.
        journal.warning(
            "courriel %s de la réclamation %s non envoyé", type_courriel, reclamation_id
        )


# --- Deciding ----------------------------------------------------------------------------


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
            f"{_qui(reclamation.pris_en_charge_par)} le {_date(reclamation.pris_en_charge_le)}."
        )
    decision = "acceptée" if reclamation.statut == StatutReclamation.ACCEPTEE else "rejetée"
    return ReclamationRefusee(
        f"La réclamation {reclamation.reference} a déjà été {decision} par "
        f"{_qui(reclamation.decide_par)} le {_date(reclamation.decide_le)}. Rien n'a été "
        "modifié."
    )


@transaction.atomic
def prendre_en_charge(*, reclamation_id: int, compte: Compte, ip: str = "") -> Reclamation:
    reclamation = _verrouiller(reclamation_id)
    if reclamation.statut != StatutReclamation.DEPOSEE:
        raise _deja_traitee(reclamation)
    reclamation.statut = StatutReclamation.EN_COURS
    reclamation.pris_en_charge_par = compte
    reclamation.pris_en_charge_le = clock.now()
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
    _prevenir(reclamation, "reclamation_decision")
    return reclamation


def _decider(reclamation: Reclamation, statut: str, compte: Compte, motif: str) -> None:
    reclamation.statut = statut
    reclamation.decide_par = compte
    reclamation.decide_le = clock.now()
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
            _prevenir(reclamation, "reclamation_decision")
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
    for champ in CHAMPS_D_IDENTITE:
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
    identite = {k: confirmee.get(k, getattr(reclamation, k)) for k in CHAMPS_D_IDENTITE}
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


def nouveau_jeton() -> uuid.UUID:
    return uuid.uuid4()
