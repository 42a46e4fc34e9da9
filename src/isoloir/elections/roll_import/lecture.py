"""Reading a roll file: encoding, separator, header, and the checks of each row.

The NUMEN is hashed as soon as it is read: it never reaches an error, the report or the
journal. A cell is quoted in an error only when it cannot be a NUMEN (see :func:`_citer`).
"""

import codecs
import csv
import hashlib
import io
import itertools
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError

from isoloir.accounts import numen
from isoloir.accounts.models import Civilite, Electeur
from isoloir.core import adresses
from isoloir.core.texte import sans_accents
from isoloir.elections.roll_import.rapport import RapportImport

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
CHAMPS_D_IDENTITE = (
    "civilite",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "commune_naissance",
    "pays_naissance",
    "etablissement",
)
SEPARATEURS = (";", ",", "\t")  # by preference when a header has none
TAILLE_LOT = 1000
# A real row holds well under a thousand characters; reading by bounded pieces keeps a
# file without line breaks from being loaded whole.
LONGUEUR_MAX_LIGNE = 10_000
AGE_MINIMUM, AGE_MAXIMUM = 16, 80
PAYS_FRANCE = "99100"

_OCTETS_INDEFINIS_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_CIVILITES = {
    "mme": Civilite.MADAME,
    "madame": Civilite.MADAME,
    "m": Civilite.MONSIEUR,
    "mr": Civilite.MONSIEUR,
    "monsieur": Civilite.MONSIEUR,
}
_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMMUNE_INSEE = re.compile(r"\d{5}|2[AB]\d{3}")
_PAYS_INSEE = re.compile(r"99\d{3}")
# Five digits in a row may be the random part of a NUMEN put in the wrong column.
_PEUT_CONTENIR_UN_NUMEN = re.compile(r"\d{5}")
_CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


@dataclass(frozen=True)
class Ligne:
    """A valid row, its NUMEN already replaced by its keyed hash."""

    numero: int
    empreinte: str
    email: str
    scrutin_ids: frozenset[int]
    identite: dict[str, object]


@contextmanager
def flux_binaire(fichier: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(fichier, str | os.PathLike):
        with open(fichier, "rb") as flux:
            yield flux
    elif fichier.seekable():
        yield fichier
    else:
        # Read twice, so a stream that cannot go back is copied first.
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as copie:
            shutil.copyfileobj(fichier, copie)
            copie.seek(0)
            yield copie


def detecter_encodage(flux: IO[bytes], rapport: RapportImport) -> str | None:
    """UTF-8 (with or without BOM) when the whole file decodes so, else Windows-1252."""
    debut = flux.tell()
    bom = flux.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    if not bom:
        flux.seek(debut)
    decodeur = codecs.getincrementaldecoder("utf-8")()
    utf8 = cp1252 = True
    vide = True
    while bloc := flux.read(1024 * 1024):
        vide = vide and not bloc.strip()
        if b"\x00" in bloc:
            rapport.signaler(
                0,
                "",
                "Le fichier contient des octets nuls : ce n'est pas un fichier CSV texte "
                "(un export « Unicode » UTF-16, peut-être). Enregistrez-le en CSV UTF-8.",
            )
            return None
        if utf8:
            try:
                decodeur.decode(bloc)
            except UnicodeDecodeError:
                utf8 = False
        cp1252 = cp1252 and not _OCTETS_INDEFINIS_CP1252.search(bloc)
    if utf8:
        try:
            decodeur.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if vide:
        rapport.signaler(1, "", "Le fichier est vide.")
        return None
    if utf8:
        return "utf-8-sig" if bom else "utf-8"
    if cp1252:
        return "cp1252"
    rapport.signaler(
        0, "", "Le fichier n'est ni en UTF-8 ni en Windows-1252. Enregistrez-le en CSV UTF-8."
    )
    return None


@contextmanager
def texte_du_flux(flux: IO[bytes], debut: int, encodage: str) -> Iterator[io.TextIOWrapper]:
    flux.seek(debut)
    texte = io.TextIOWrapper(flux, encoding=encodage, newline="")
    try:
        yield texte
    finally:
        # Leaves the caller's file open: closing it is the caller's business.
        texte.detach()


def _lignes_physiques(texte: io.TextIOWrapper, demesurees: set[int]) -> Iterator[str]:
    """The lines of the file, an overlong one replaced by an empty line and noted."""
    numero = 0
    while ligne := texte.readline(LONGUEUR_MAX_LIGNE):
        numero += 1
        if len(ligne) == LONGUEUR_MAX_LIGNE and not ligne.endswith(("\n", "\r")):
            demesurees.add(numero)
            while (reste := texte.readline(LONGUEUR_MAX_LIGNE)) and not reste.endswith(
                ("\n", "\r")
            ):
                pass
            ligne = "\n"
        yield ligne


def _nom_de_colonne(entete: str) -> str:
    nom = sans_accents(entete.strip().strip("\ufeff").strip())
    return re.sub(r"[\s\-]+", "_", nom.casefold())


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
        demesurees: set[int] = set()
        physiques = _lignes_physiques(texte, demesurees)
        premiere = next(physiques, "")
        # The header line names the columns: its most frequent separator is the file's.
        separateur = max(SEPARATEURS, key=premiere.count)
        self.rapport.separateur = separateur
        lecteur = csv.reader(itertools.chain([premiere], physiques), delimiter=separateur)
        colonnes = self._colonnes(next(lecteur, []))
        if colonnes is None:
            return
        fin = lecteur.line_num
        while True:
            debut = fin + 1
            try:
                cellules = next(lecteur)
            except StopIteration:
                break
            except csv.Error:
                fin = lecteur.line_num
                self.rapport.lignes_lues += 1
                self.rapport.signaler(
                    debut, "", "Ligne illisible : champ démesuré ou guillemet non refermé."
                )
                continue
            fin = lecteur.line_num
            if any(n in demesurees for n in range(debut, fin + 1)):
                demesurees.clear()
                self.rapport.lignes_lues += 1
                self.rapport.signaler(
                    debut, "", f"Ligne démesurée (plus de {LONGUEUR_MAX_LIGNE} caractères)."
                )
                continue
            if not any(c.strip() for c in cellules):
                continue  # blank lines, and the ";;;;" rows that spreadsheets leave
            self.rapport.lignes_lues += 1
            if len(cellules) > len(colonnes) and not any(
                c.strip() for c in cellules[len(colonnes) :]
            ):
                cellules = cellules[: len(colonnes)]
            if len(cellules) != len(colonnes):
                self.rapport.signaler(
                    debut,
                    "",
                    f"{len(cellules)} champ(s) au lieu de {len(colonnes)} : vérifiez les "
                    f"séparateurs « {separateur} » et les guillemets.",
                )
                continue
            ligne = self._analyser(debut, dict(zip(colonnes, cellules, strict=True)))
            if ligne is not None:
                yield ligne
        if self.rapport.lignes_lues == 0 and not self.rapport.refuse:
            self.rapport.signaler(
                1, "", "Le fichier ne contient aucun électeur, seulement l'en-tête."
            )

    def _colonnes(self, entete: list[str]) -> list[str] | None:
        while entete and not entete[-1].strip():
            entete.pop()
        noms = [_nom_de_colonne(e) for e in entete]
        if not set(noms) & set(COLONNES):
            self.rapport.signaler(
                1,
                "",
                "La première ligne doit nommer les colonnes : " + ";".join(COLONNES) + ".",
            )
            return None
        erreurs = self.rapport.nombre_erreurs
        for brut, nom in zip(entete, noms, strict=True):
            if nom not in COLONNES:
                self.rapport.signaler(1, "", f"Colonne inconnue {_citer(brut.strip())}.")
        for nom in COLONNES:
            if nom not in noms:
                self.rapport.signaler(1, nom, "Colonne absente de l'en-tête.")
            elif noms.count(nom) > 1:
                self.rapport.signaler(1, nom, "Colonne présente plusieurs fois.")
        return None if self.rapport.nombre_erreurs > erreurs else noms

    def _analyser(self, numero: int, cellules: dict[str, str]) -> Ligne | None:
        avant = self.rapport.nombre_erreurs

        def erreur(colonne: str, raison: str) -> None:
            self.rapport.signaler(numero, colonne, raison)

        v: dict[str, str] = {}
        for nom, brut in cellules.items():
            v[nom] = unicodedata.normalize("NFC", " ".join(brut.split()))
            if _CONTROLE.search(v[nom]):
                erreur(nom, "Caractère de contrôle interdit.")
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
        if trouve := _DATE_FR.fullmatch(valeur):
            jour, mois, annee = map(int, trouve.groups())
        elif trouve := _DATE_ISO.fullmatch(valeur):
            annee, mois, jour = map(int, trouve.groups())
        else:
            self.rapport.signaler(
                numero, "date_naissance", "Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ."
            )
            return None
        try:
            naissance = date(annee, mois, jour)
        except ValueError:
            self.rapport.signaler(numero, "date_naissance", "Cette date n'existe pas.")
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
