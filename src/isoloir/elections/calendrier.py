"""A campaign's legal calendar: each date as set, or as the texts fill it in when left empty.

The campaign model refuses a calendar the texts forbid (models.Campagne.clean);
this module answers what is open at a given time and what comes next, for the portal (may
I read the rolls, file a claim, get a new code?) and for the back-office's timeline.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from isoloir.core import horloge
from isoloir.core.horloge import en_jours_calendaires
from isoloir.elections.models import (
    DELAI_DE_RECLAMATION,
    DELAI_DE_VERIFICATION,
    DELAI_REMISE_DES_NOTICES,
    Campagne,
)


@dataclass(frozen=True)
class Periode:
    debut: datetime
    fin: datetime

    def contient(self, instant: datetime) -> bool:
        return self.debut <= instant < self.fin


@dataclass(frozen=True)
class Calendrier:
    ouverture: datetime
    cloture: datetime
    remise_des_notices: datetime
    reassort: Periode
    # None while the administration has not set the rolls' publication.
    consultation: Periode | None
    demandes_d_inscription: Periode | None
    reclamations: Periode | None


def calendrier(campagne: Campagne) -> Calendrier:
    publication = campagne.publication_des_listes
    consultation = reclamations = demandes = None
    if publication is not None:
        consultation = Periode(publication, campagne.consultation_cloture or campagne.cloture)
        fin_des_verifications = en_jours_calendaires(publication, DELAI_DE_VERIFICATION)
        demandes = Periode(publication, min(fin_des_verifications, campagne.ouverture))
        # Claims never run into the vote, even when the rolls were published late.
        reclamations = Periode(
            publication,
            campagne.reclamations_cloture
            or min(
                en_jours_calendaires(fin_des_verifications, DELAI_DE_RECLAMATION),
                campagne.ouverture,
            ),
        )
    remise = campagne.remise_des_notices or en_jours_calendaires(
        campagne.ouverture, -DELAI_REMISE_DES_NOTICES
    )
    return Calendrier(
        ouverture=campagne.ouverture,
        cloture=campagne.cloture,
        remise_des_notices=remise,
        # From the delivery of the notices to the close of the vote, unless the campaign
        # sets its own dates (B06).
        reassort=Periode(
            campagne.reassort_ouverture or remise,
            campagne.reassort_cloture or campagne.cloture,
        ),
        consultation=consultation,
        demandes_d_inscription=demandes,
        reclamations=reclamations,
    )


def consultation_ouverte(campagne: Campagne, maintenant: datetime | None = None) -> bool:
    periode = calendrier(campagne).consultation
    return periode is not None and periode.contient(maintenant or horloge.maintenant())


def reclamations_ouvertes(campagne: Campagne, maintenant: datetime | None = None) -> bool:
    periode = calendrier(campagne).reclamations
    return periode is not None and periode.contient(maintenant or horloge.maintenant())


class EtatEcheance(StrEnum):
    PASSEE = "passee"
    EN_COURS = "en_cours"
    A_VENIR = "a_venir"
    NON_FIXEE = "non_fixee"


@dataclass(frozen=True)
class Echeance:
    libelle: str
    date: datetime | None
    etat: EtatEcheance
    explication: str


def echeancier(campagne: Campagne, maintenant: datetime | None = None) -> list[Echeance]:
    """The campaign's dates in order, each said past, running or to come."""
    maintenant = maintenant or horloge.maintenant()
    cal = calendrier(campagne)

    def instant(libelle: str, date: datetime | None, explication: str) -> Echeance:
        if date is None:
            return Echeance(libelle, None, EtatEcheance.NON_FIXEE, explication)
        etat = EtatEcheance.PASSEE if date <= maintenant else EtatEcheance.A_VENIR
        return Echeance(libelle, date, etat, explication)

    def periode(libelle: str, p: Periode | None, explication: str) -> Echeance:
        if p is None:
            return Echeance(libelle, None, EtatEcheance.NON_FIXEE, explication)
        if p.contient(maintenant):
            return Echeance(libelle, p.fin, EtatEcheance.EN_COURS, explication)
        etat = EtatEcheance.PASSEE if p.fin <= maintenant else EtatEcheance.A_VENIR
        return Echeance(
            libelle, p.fin if etat is EtatEcheance.PASSEE else p.debut, etat, explication
        )

    echeances = [
        instant(
            "Publication des listes électorales",
            campagne.publication_des_listes,
            "Les électeurs consultent les listes de leurs scrutins sur le portail.",
        ),
        periode(
            "Demandes d'inscription",
            cal.demandes_d_inscription,
            "8 jours après la publication pour vérifier les listes et demander à y figurer.",
        ),
        periode(
            "Réclamations sur les listes",
            cal.reclamations,
            "Jusqu'à 3 jours après la fin des vérifications ; l'administration statue sans délai.",
        ),
        instant(
            "Fin de la remise des notices",
            cal.remise_des_notices,
            "Chaque électeur a reçu sa notice et son code de vote au moins 15 jours avant "
            "l'ouverture (art. 10).",
        ),
        periode(
            "Réassort des codes de vote",
            cal.reassort,
            "Les électeurs qui ont perdu leur code en obtiennent un nouveau en ligne.",
        ),
        instant(
            "Ouverture du vote",
            cal.ouverture,
            "Les bureaux de vote doivent avoir scellé leurs scrutins auparavant.",
        ),
        instant(
            "Clôture du vote",
            cal.cloture,
            "La durée du vote est comprise entre 24 heures et 8 jours (art. 9).",
        ),
    ]
    return sorted(echeances, key=lambda e: (e.date is None, e.date or maintenant))


def prochaine(echeances: list[Echeance]) -> Echeance | None:
    """What is due next: the first running period or date to come."""
    return next(
        (e for e in echeances if e.etat in (EtatEcheance.EN_COURS, EtatEcheance.A_VENIR)),
        None,
    )
