"""Filing a claim, with or without an account: checks, receipt number, attachments.

A claim is filed in one transaction with its attachments and its receipt number, or not at
all; the files written for a claim whose transaction is rolled back are deleted. The form's
key (``jeton``, core.soumission) is stored with the claim: the same form files one claim
however many times it is posted, and the later posts get the first one back.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge, limites, soumission
from isoloir.elections.calendrier import reclamations_ouvertes
from isoloir.elections.models import Campagne, Inscription, Scrutin
from isoloir.reclamations.models import (
    CHAMPS_D_IDENTITE_RECLAMES,
    CompteurDeReclamations,
    PieceJointe,
    Reclamation,
    TypeReclamation,
)
from isoloir.reclamations.pieces import PieceVerifiee
from isoloir.reclamations.services.commun import (
    ReclamationRefusee,
    TropDeReclamations,
    message_periode,
    prevenir,
)

# A voter files a handful of claims at most; the anonymous form sends a mail to the
# address typed in it, so it is capped per address as well as per IP.
PAR_ELECTEUR = limites.Limite("reclamation-electeur", 10, 24 * 3600)
PAR_IP = limites.Limite("reclamation-ip", 10, 3600)
PAR_ADRESSE = limites.Limite("reclamation-adresse", 3, 24 * 3600)


@dataclass(frozen=True)
class Depot:
    reclamation: Reclamation
    cree: bool  # False: the same form had already been posted, nothing new was filed


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

    def agir() -> Reclamation:
        if scrutin.campagne_id != campagne.pk or (
            scrutin_souhaite is not None and scrutin_souhaite.campagne_id != campagne.pk
        ):
            raise ReclamationRefusee("Choisissez un scrutin de votre campagne.")
        _verifier_coherence(electeur, type, scrutin, scrutin_souhaite)
        if not reclamations_ouvertes(campagne):
            raise ReclamationRefusee(message_periode(campagne))
        if limites.depasse(PAR_ELECTEUR, limites.compter(PAR_ELECTEUR, str(electeur.compte_id))):
            raise TropDeReclamations
        champs: dict[str, Any] = {}
        if type == TypeReclamation.IDENTITE:
            champs = {
                k: v for k, v in (identite or {}).items() if k in CHAMPS_D_IDENTITE_RECLAMES and v
            }
        return _enregistrer(
            campagne=campagne,
            jeton=jeton,
            electeur=electeur,
            champs=dict(
                type=type,
                scrutin=scrutin,
                scrutin_souhaite=(
                    scrutin_souhaite if type == TypeReclamation.MAUVAIS_SCRUTIN else None
                ),
                explication=explication,
                **champs,
            ),
            pieces=list(pieces),
            ip=ip,
        )

    return _une_seule_fois(jeton, electeur=electeur, agir=agir)


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

    def agir() -> Reclamation:
        campagne = scrutin.campagne
        if not reclamations_ouvertes(campagne):
            raise ReclamationRefusee(message_periode(campagne))
        adresse = email.strip().lower()
        if limites.depasse(PAR_IP, limites.compter(PAR_IP, ip or "inconnue")) or limites.depasse(
            PAR_ADRESSE, limites.compter(PAR_ADRESSE, adresse)
        ):
            raise TropDeReclamations
        champs = {
            k: identite.get(k) or "" for k in CHAMPS_D_IDENTITE_RECLAMES if k != "date_naissance"
        }
        return _enregistrer(
            campagne=campagne,
            jeton=jeton,
            electeur=None,
            champs=dict(
                type=TypeReclamation.OMISSION,
                scrutin=scrutin,
                explication=explication,
                sans_compte=True,
                email=adresse,
                date_naissance=identite.get("date_naissance"),
                **champs,
            ),
            pieces=list(pieces),
            ip=ip,
        )

    return _une_seule_fois(jeton, electeur=None, agir=agir)


def deja_deposee_sans_compte(jeton: uuid.UUID | None) -> Reclamation | None:
    """The claim without an account this form's key has already filed, if any: the view
    looks before checking the form, whose CAPTCHA the first post has spent."""
    if jeton is None:
        return None
    return Reclamation.objects.filter(jeton=jeton, sans_compte=True).first()


def _une_seule_fois(
    jeton: uuid.UUID, *, electeur: Electeur | None, agir: Callable[[], Reclamation]
) -> Depot:
    depot = soumission.une_seule_fois(
        retrouver=lambda: _deja_deposee(jeton, electeur=electeur), agir=agir
    )
    return Depot(depot.resultat, cree=depot.premiere)


def _deja_deposee(jeton: uuid.UUID, *, electeur: Electeur | None) -> Reclamation | None:
    """The claim this key has filed; refused if it is not this person's."""
    deja = Reclamation.objects.select_related("campagne").filter(jeton=jeton).first()
    if deja is None:
        return None
    if deja.sans_compte != (electeur is None) or (
        electeur is not None and deja.electeur_id != electeur.pk
    ):
        raise ReclamationRefusee(soumission.FORMULAIRE_EXPIRE)
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
) -> Reclamation:
    stockes: list[PieceJointe] = []
    try:
        with transaction.atomic():
            if Reclamation.objects.filter(jeton=jeton).exists():
                # Filed by the same form while this post was being checked: nothing is
                # written, not even a receipt number (soumission.une_seule_fois).
                raise soumission.DejaSoumis("jeton")
            reclamation = Reclamation(
                campagne=campagne,
                jeton=jeton,
                electeur=electeur,
                numero=_prochain_numero(campagne),
                depose_le=horloge.maintenant(),
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
            prevenir(reclamation, type_courriel="reclamation_deposee")
    except BaseException:
        # Rolled back, a post of the same form at the same instant included: the files
        # written for it go too.
        _effacer(stockes)
        raise
    return reclamation


def _effacer(pieces: list[PieceJointe]) -> None:
    """Files written for a claim whose transaction was rolled back."""
    for piece in pieces:
        if piece.fichier.name:
            piece.fichier.storage.delete(piece.fichier.name)
