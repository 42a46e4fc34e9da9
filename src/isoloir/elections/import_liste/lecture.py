"""Reading a roll file: its header and the checks of each row.

The decoding, the separator and the generic checks of a row (quoting, length, number of
fields, control characters) are those of every CSV import (:mod:`isoloir.core.lecture_csv`).
The NUMEN is hashed as soon as it is read: it never reaches an error, the report or the
journal. A cell is quoted in an error only when it cannot be a NUMEN (see :func:`_citer`).
"""

import hashlib
import io
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError

from isoloir.accounts import numen
from isoloir.accounts.models import Civilite, Electeur
from isoloir.core import adresses
from isoloir.core.lecture_csv import (
    FichierRefuse,
    LectureCsv,
    encodage_du_flux,
    lire_date,
)
from isoloir.elections.import_liste.rapport import RapportImport

COLONNES = (
    "numen",
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "commune_naissance",
    "pays_naissance",
    "email_professionnel",
    "etablissement",
    "scrutins",
)
TAILLE_LOT = 1000
AGE_MINIMUM, AGE_MAXIMUM = 16, 80
PAYS_FRANCE = "99100"

_CIVILITES = {
    "mme": Civilite.MADAME,
    "madame": Civilite.MADAME,
    "m": Civilite.MONSIEUR,
    "mr": Civilite.MONSIEUR,
    "monsieur": Civilite.MONSIEUR,
}
_COMMUNE_INSEE = re.compile(r"\d{5}|2[AB]\d{3}")
_PAYS_INSEE = re.compile(r"99\d{3}")
# Five digits in a row may be the random part of a NUMEN put in the wrong column.
_PEUT_CONTENIR_UN_NUMEN = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Ligne:
    """A valid row, its NUMEN already replaced by its keyed hash."""

    numero: int
    empreinte: str
    email: str
    scrutin_ids: frozenset[int]
    identite: dict[str, object]


def detecter_encodage(flux: IO[bytes], rapport: RapportImport) -> str | None:
    """The file's encoding (:func:`~isoloir.core.lecture_csv.encodage_du_flux`), or None
    with the reason in the report."""
    try:
        return encodage_du_flux(flux)
    except FichierRefuse as refus:
        rapport.signaler(refus.ligne, "", refus.message)
        return None


def _citer(valeur: str) -> str:
    """Quote a cell in an error, unless it may hold a NUMEN: a file without its header
    line or with shifted columns puts NUMENs where we do not expect them."""
    if _PEUT_CONTENIR_UN_NUMEN.search(numen.normaliser(valeur)):
        return "(valeur masquée)"
    return f"« {valeur[:40]}{'…' if len(valeur) > 40 else ''} »"


def _age(naissance: date, jour: date) -> int:
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


class IndexDoublons:
    """Which line first gave each key (a NUMEN hash, an e-mail), kept on disk.

    A national roll has 1.4 million rows: two dictionaries of their keys would take
    hundreds of megabytes. A throwaway SQLite file, with a small page cache, keeps the
    memory bounded whatever the size of the file. Keys are stored as 128-bit digests.
    """

    def __init__(self) -> None:
        self._dossier: tempfile.TemporaryDirectory[str] | None = None
        self._base: sqlite3.Connection | None = None

    def _ouvrir(self) -> sqlite3.Connection:
        # Opened at the first row only: a file refused at its header costs no index.
        self._dossier = tempfile.TemporaryDirectory(prefix="isoloir-import-")
        base = sqlite3.connect(
            os.path.join(self._dossier.name, "index.sqlite3"), isolation_level=None
        )
        base.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4000;"
            "CREATE TABLE cle (espace INTEGER, valeur BLOB, ligne INTEGER,"
            " PRIMARY KEY (espace, valeur)) WITHOUT ROWID;"
            "BEGIN;"
        )
        return base

    def premiere(self, espace: int, valeur: str, ligne: int) -> int:
        """The line that gave ``valeur`` first: ``ligne`` itself when it is new."""
        if self._base is None:
            self._base = self._ouvrir()
        cle = hashlib.blake2b(valeur.encode(), digest_size=16).digest()
        curseur = self._base.execute(
            "INSERT OR IGNORE INTO cle VALUES (?, ?, ?)", (espace, cle, ligne)
        )
        if curseur.rowcount == 1:
            return ligne
        trouve = self._base.execute(
            "SELECT ligne FROM cle WHERE espace = ? AND valeur = ?", (espace, cle)
        ).fetchone()
        return int(trouve[0])

    def fermer(self) -> None:
        if self._base is not None:
            self._base.close()
        if self._dossier is not None:
            self._dossier.cleanup()


NUMENS, EMAILS = 0, 1


class Lecteur:
    """One reading of the file: yields the valid rows and reports the others.

    Remembers which line gave each NUMEN hash and each e-mail, to point at duplicates
    (unless ``doublons`` is false: the application re-reads a file already checked).
    """

    def __init__(
        self,
        *,
        codes: dict[str, int],
        jour: date,
        rapport: RapportImport,
        doublons: bool = True,
    ) -> None:
        self.codes = codes
        self.jour = jour
        self.rapport = rapport
        self.index = IndexDoublons() if doublons else None
        self.longueurs = {
            champ: int(getattr(Electeur._meta.get_field(champ), "max_length", None) or 0)
            for champ in ("nom_naissance", "nom_usage", "prenoms", "etablissement")
        }

    def fermer(self) -> None:
        if self.index is not None:
            self.index.fermer()
            self.index = None

    def lignes(self, texte: io.TextIOWrapper) -> Iterator[Ligne]:
        lecture = LectureCsv(texte, signaler=self.rapport.signaler)
        self.rapport.separateur = lecture.separateur
        if not self._colonnes_valides(lecture):
            return
        try:
            for ligne in lecture.lignes():
                analysee = self._analyser(
                    ligne.numero, dict(zip(lecture.colonnes, ligne.cellules, strict=True))
                )
                if analysee is not None:
                    yield analysee
        finally:
            self.rapport.lignes_lues = lecture.lignes_lues
        if self.rapport.lignes_lues == 0 and not self.rapport.refuse:
            self.rapport.signaler(
                1, "", "Le fichier ne contient aucun électeur, seulement l'en-tête."
            )

    def _colonnes_valides(self, lecture: LectureCsv) -> bool:
        noms = lecture.colonnes
        if not set(noms) & set(COLONNES):
            self.rapport.signaler(
                1,
                "",
                "La première ligne doit nommer les colonnes : " + ";".join(COLONNES) + ".",
            )
            return False
        erreurs = self.rapport.nombre_erreurs
        for brut, nom in zip(lecture.entete, noms, strict=True):
            if nom not in COLONNES:
                self.rapport.signaler(1, "", f"Colonne inconnue {_citer(brut.strip())}.")
        for nom in COLONNES:
            if nom not in noms:
                self.rapport.signaler(1, nom, "Colonne absente de l'en-tête.")
            elif noms.count(nom) > 1:
                self.rapport.signaler(1, nom, "Colonne présente plusieurs fois.")
        return self.rapport.nombre_erreurs == erreurs

    def _analyser(self, numero: int, cellules: dict[str, str]) -> Ligne | None:
        avant = self.rapport.nombre_erreurs

        def erreur(colonne: str, raison: str) -> None:
            self.rapport.signaler(numero, colonne, raison)

        v: dict[str, str] = {}
        for nom, brut in cellules.items():
            v[nom] = unicodedata.normalize("NFC", " ".join(brut.split()))
        codes = [c.strip() for c in v["scrutins"].split("|") if c.strip()]
        for nom in ("numen", "civilite", "nom_naissance", "prenoms", "date_naissance"):
            if not v[nom]:
                erreur(nom, "Champ obligatoire vide.")
        if not v["email_professionnel"]:
            erreur("email_professionnel", "Champ obligatoire vide.")
        if not codes:
            erreur("scrutins", "Indiquez au moins un code de scrutin (séparés par « | »).")

        empreinte = ""
        if v["numen"]:
            try:
                empreinte = numen.empreinte(numen.valider(v["numen"]))
            except ValidationError:
                erreur(
                    "numen",
                    "NUMEN invalide : 13 caractères attendus, 2 chiffres, 1 lettre, "
                    "7 chiffres puis 3 lettres.",
                )
            else:
                if (
                    self.index is not None
                    and (premiere := self.index.premiere(NUMENS, empreinte, numero)) != numero
                ):
                    erreur("numen", f"NUMEN déjà présent ligne {premiere}.")

        civilite = _CIVILITES.get(v["civilite"].casefold().rstrip("."))
        if v["civilite"] and civilite is None:
            erreur("civilite", f"Civilité {_citer(v['civilite'])} inconnue : « Mme » ou « M. ».")
        for nom, maximum in self.longueurs.items():
            if len(v[nom]) > maximum:
                erreur(nom, f"Trop long : {maximum} caractères au plus, {len(v[nom])} reçus.")
        naissance = self._date(v["date_naissance"], numero) if v["date_naissance"] else None

        commune, pays = v["commune_naissance"].upper(), v["pays_naissance"] or PAYS_FRANCE
        if commune and not _COMMUNE_INSEE.fullmatch(commune):
            erreur(
                "commune_naissance",
                "Code INSEE de commune attendu : 5 caractères, par exemple 69123 ou 2A004.",
            )
        if not _PAYS_INSEE.fullmatch(pays):
            erreur(
                "pays_naissance",
                "Code INSEE de pays attendu : 5 chiffres commençant par 99 (99100 : France).",
            )
        elif pays != PAYS_FRANCE and commune:
            erreur("commune_naissance", "Laissez la commune vide pour une naissance à l'étranger.")

        email = v["email_professionnel"].lower()
        if len(email) > 254:
            erreur("email_professionnel", "Trop long : 254 caractères au plus.")
        elif email:
            try:
                adresses.valider(email)
            except ValidationError as refus:
                erreur("email_professionnel", refus.messages[0])
            else:
                if (
                    self.index is not None
                    and (premiere := self.index.premiere(EMAILS, email, numero)) != numero
                ):
                    erreur("email_professionnel", f"Adresse déjà présente ligne {premiere}.")

        scrutin_ids: set[int] = set()
        for code in codes:
            if (pk := self.codes.get(code.lower())) is None:
                erreur("scrutins", f"Scrutin {_citer(code)} inconnu dans cette campagne.")
            else:
                scrutin_ids.add(pk)

        if self.rapport.nombre_erreurs > avant or civilite is None or naissance is None:
            return None
        return Ligne(
            numero=numero,
            empreinte=empreinte,
            email=email,
            scrutin_ids=frozenset(scrutin_ids),
            identite={
                "civilite": civilite.value,
                "nom_naissance": v["nom_naissance"],
                "nom_usage": v["nom_usage"],
                "prenoms": v["prenoms"],
                "date_naissance": naissance,
                "commune_naissance": commune,
                "pays_naissance": pays,
                "etablissement": v["etablissement"],
            },
        )

    def _date(self, valeur: str, numero: int) -> date | None:
        try:
            naissance = lire_date(valeur)
        except ValueError as erreur:
            self.rapport.signaler(numero, "date_naissance", str(erreur))
            return None
        age = _age(naissance, self.jour)
        if not AGE_MINIMUM <= age <= AGE_MAXIMUM:
            self.rapport.signaler(
                numero,
                "date_naissance",
                f"Date invraisemblable : {age} ans à l'ouverture du vote "
                f"({AGE_MINIMUM} à {AGE_MAXIMUM} ans attendus).",
            )
            return None
        return naissance
