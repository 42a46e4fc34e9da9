"""Reading a delivery list: its columns, and each row's voter, state and date.

The decoding, the separator and the generic checks of a row are those of every CSV import
(:mod:`isoloir.core.lecture_csv`). The NUMEN is hashed as soon as it is read and never
quoted back, as in the roll import.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError

from isoloir.accounts import numen
from isoloir.core import adresses
from isoloir.core.lecture_csv import (
    ENCODAGES,
    FichierRefuse,
    LectureCsv,
    libelle_separateur,
    lire_date,
    texte_du_fichier,
)
from isoloir.core.texte import sans_accents
from isoloir.votecode.models import EtatRemise
from isoloir.votecode.remises.rapport import RapportRemises

TAILLE_MAX = 64 * 1024 * 1024  # a national list of 1.4 million rows is about 60 Mo

ALIAS_DE_COLONNES = {
    "email": {
        "adresse_electronique_professionnelle",
        "adresse_electronique",
        "adresse_professionnelle",
        "email_professionnel",
        "email",
        "e_mail",
        "mail",
        "mel",
        "courriel",
        "identifiant",
    },
    "numen": {"numen"},
    "etat": {"etat", "statut", "etat_de_la_notice"},
    "date": {"date", "date_de_remise", "date_d_envoi", "date_de_l_etat"},
}
_ETATS_SAISIS = {
    "en attente": EtatRemise.EN_ATTENTE,
    "attente": EtatRemise.EN_ATTENTE,
    "en_attente": EtatRemise.EN_ATTENTE,
    "remise contre signature": EtatRemise.REMISE,
    "remise": EtatRemise.REMISE,
    "remis": EtatRemise.REMISE,
    "remise en main propre": EtatRemise.REMISE,
    "signature": EtatRemise.REMISE,
    "envoyee par la poste": EtatRemise.POSTE,
    "envoye par la poste": EtatRemise.POSTE,
    "envoyee": EtatRemise.POSTE,
    "poste": EtatRemise.POSTE,
    "postee": EtatRemise.POSTE,
    "detruite": EtatRemise.DETRUITE,
    "detruit": EtatRemise.DETRUITE,
}


@dataclass
class LigneRemise:
    numero: int
    email: str
    empreinte_numen: str
    etat: str
    date: date | None
    electeur_id: int = 0  # found in the database after the reading
    etablissement: str = ""


def _etat(valeur: str) -> str | None:
    cle = re.sub(r"[\s_]+", " ", sans_accents(valeur).casefold()).strip(" .")
    etat = _ETATS_SAISIS.get(cle)
    return etat.value if etat else None


def controler_date(etat: str, valeur: date | None, aujourd_hui: date) -> str | None:
    """The French message when the date does not fit the state, else None."""
    if etat == EtatRemise.EN_ATTENTE:
        return None
    if valeur is None:
        return "Date obligatoire pour une notice remise, envoyée ou détruite."
    if valeur > aujourd_hui:
        return "Date dans le futur : indiquez le jour où c'est arrivé."
    if valeur.year < 2000:
        return "Date invraisemblable."
    return None


def lire(
    fichier: bytes | IO[bytes], rapport: RapportRemises, aujourd_hui: date
) -> list[LigneRemise]:
    """The file's valid rows; the others, and a file that cannot be read, reported."""
    try:
        with texte_du_fichier(fichier, taille_max=TAILLE_MAX) as (encodage, texte):
            rapport.encodage = ENCODAGES[encodage]
            return _lire(LectureCsv(texte, signaler=rapport.signaler), rapport, aujourd_hui)
    except FichierRefuse as refus:
        rapport.signaler(refus.ligne, "", refus.message)
        return []


def _colonnes(lecture: LectureCsv, rapport: RapportRemises) -> dict[str, int]:
    """Where each known column is: its key → its position."""
    index: dict[str, int] = {}
    for position, nom in enumerate(lecture.colonnes):
        for cle, alias in ALIAS_DE_COLONNES.items():
            if nom in alias:
                if cle in index:
                    rapport.signaler(1, cle, "Colonne présente plusieurs fois.")
                index[cle] = position
    if "email" not in index and "numen" not in index:
        rapport.signaler(
            1,
            "",
            "La première ligne doit nommer les colonnes : adresse électronique "
            "professionnelle (ou NUMEN), état, date.",
        )
    for cle in ("etat", "date"):
        if cle not in index:
            rapport.signaler(1, cle, "Colonne absente de l'en-tête.")
    return index


def _lire(lecture: LectureCsv, rapport: RapportRemises, aujourd_hui: date) -> list[LigneRemise]:
    rapport.separateur = libelle_separateur(lecture.separateur)
    index = _colonnes(lecture, rapport)
    if rapport.refuse:
        return []
    # The errors name a known column by its key, any other by its header as written.
    noms = [lecture.entete[position].strip() for position in range(len(lecture.colonnes))]
    for cle, position in index.items():
        noms[position] = cle
    lignes: list[LigneRemise] = []
    for ligne in lecture.lignes(noms=noms):
        remise = _analyser(ligne.numero, ligne.cellules, index, rapport, aujourd_hui)
        if remise is not None:
            lignes.append(remise)
    rapport.lignes = lecture.lignes_lues
    if rapport.lignes == 0 and not rapport.refuse:
        rapport.signaler(1, "", "Le fichier ne contient aucune ligne, seulement l'en-tête.")
    return lignes


def _analyser(
    numero: int,
    cellules: list[str],
    index: dict[str, int],
    rapport: RapportRemises,
    aujourd_hui: date,
) -> LigneRemise | None:
    avant = rapport.nombre_erreurs

    def cellule(cle: str) -> str:
        return " ".join(cellules[index[cle]].split()) if cle in index else ""

    email, saisie_numen = cellule("email").lower(), cellule("numen")
    empreinte = ""
    if not email and not saisie_numen:
        rapport.signaler(numero, "", "Indiquez l'adresse électronique professionnelle ou le NUMEN.")
    if email:
        try:
            adresses.valider(email)
        except ValidationError as refus:
            rapport.signaler(numero, "email", refus.messages[0])
    if saisie_numen:
        try:
            empreinte = numen.empreinte(numen.valider(saisie_numen))
        except ValidationError:
            # Never quoted back: it may be a real NUMEN with a typo.
            rapport.signaler(
                numero,
                "numen",
                "NUMEN invalide : 13 caractères attendus, 2 chiffres, 1 lettre, 7 chiffres "
                "puis 3 lettres.",
            )
    brut = cellule("etat")
    etat = _etat(brut)
    if etat is None:
        rapport.signaler(
            numero,
            "etat",
            ("État vide" if not brut else "État inconnu")
            + " : « remise contre signature », « envoyée par la poste », « détruite » ou "
            "« en attente ».",
        )
    jour: date | None = None
    if texte_date := cellule("date"):
        try:
            jour = lire_date(texte_date)
        except ValueError as erreur:
            rapport.signaler(numero, "date", str(erreur))
    if etat is not None and rapport.nombre_erreurs == avant:
        if etat == EtatRemise.EN_ATTENTE:
            jour = None
        elif message := controler_date(etat, jour, aujourd_hui):
            rapport.signaler(numero, "date", message)
    if rapport.nombre_erreurs > avant or etat is None:
        return None
    return LigneRemise(numero=numero, email=email, empreinte_numen=empreinte, etat=etat, date=jour)
