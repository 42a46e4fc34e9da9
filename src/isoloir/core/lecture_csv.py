"""Reading the CSV files that administrators upload, with one set of rules for every import.

The electoral roll, the scrutins and the notices' delivery lists all come from
spreadsheets saved by hand. They share the decoding (UTF-8 with or without BOM, else
Windows-1252), the separator (found on the header line), the spelling of the header (case,
accents, spaces), the physical line numbers of the errors, and the characters refused: a
file one import accepts, the others read the same way. Each importer keeps only its
columns and its business checks.

The reading is a stream of physical lines: a roll of 1.4 million rows goes through in
flat memory, and an overlong line is skipped rather than loaded whole.
"""

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import IO

from isoloir.core.texte import nombre, sans_accents

ENCODAGES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "cp1252": "Windows-1252"}
SEPARATEURS = (";", ",", "\t")  # by preference when the header line holds as many of each
# A real row holds well under a thousand characters; reading by bounded pieces keeps a
# file without line breaks from being loaded whole.
LONGUEUR_MAX_LIGNE = 10_000
TAILLE_DU_BLOC = 1024 * 1024
MESSAGE_CONTROLE = "Caractère de contrôle interdit."

# The bytes Windows-1252 leaves undefined: a file holding one is in neither encoding.
_OCTETS_INDEFINIS_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# Unicode category Cc, but for the tab and the line breaks a quoted cell may hold: the
# importers fold those into spaces. Anything else is binary garbage or an invisible
# character that would end up in a name, a code or an e-mail.
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The two ways a spreadsheet writes a date: as a French reader types it, and as an export
# in ISO 8601 does.
_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# Where to report an error: the physical line (0: the file as a whole), the column's name
# (empty: the whole line) and the French message.
Signaler = Callable[[int, str, str], None]


@dataclass(frozen=True)
class ErreurDeLigne:
    """One refusal of an import, where the person who made the file can find it: the
    physical line (1 is the header, 0 the file as a whole), the column as the screen names
    it (empty when the whole line is concerned) and why, in French. Every import's report
    lists these, so that the three imports say an error the same way."""

    ligne: int
    colonne: str
    raison: str

    def __str__(self) -> str:
        if not self.ligne:
            return self.raison
        colonne = f", colonne « {self.colonne} »" if self.colonne else ""
        return f"Ligne {self.ligne}{colonne} : {self.raison}"


class FichierRefuse(Exception):
    """The file cannot be read at all; ``message`` says why, in French."""

    def __init__(self, ligne: int, message: str) -> None:
        super().__init__(message)
        self.ligne = ligne
        self.message = message


@dataclass(frozen=True)
class LigneCsv:
    """A row that passed the generic checks: as many cells as the header has columns."""

    numero: int  # physical line where the row starts, 1 being the header
    cellules: list[str]


def libelle_separateur(separateur: str) -> str:
    return "tabulation" if separateur == "\t" else separateur


def nom_de_colonne(entete: str) -> str:
    """« Adresse électronique » → ``adresse_electronique``: case, accents, spaces and
    punctuation as people type them in a spreadsheet's first row."""
    nom = sans_accents(entete.strip().strip("\ufeff").strip()).casefold()
    return re.sub(r"[^a-z0-9]+", "_", nom).strip("_")


def lire_date(valeur: str) -> date:
    """A cell's date, written ``25/12/1980`` or ``1980-12-25``.

    Raises :class:`ValueError` whose message, in French, is the one the import reports:
    the same for every column of every import that reads a date.
    """
    if trouve := _DATE_FR.fullmatch(valeur):
        jour, mois, annee = map(int, trouve.groups())
    elif trouve := _DATE_ISO.fullmatch(valeur):
        annee, mois, jour = map(int, trouve.groups())
    else:
        raise ValueError("Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ.")
    try:
        return date(annee, mois, jour)
    except ValueError:
        raise ValueError("Cette date n'existe pas.") from None


def charger(fichier: bytes | IO[bytes], *, taille_max: int) -> io.BytesIO:
    """An uploaded file in memory, refused beyond ``taille_max`` bytes without reading
    more than that."""
    contenu = fichier if isinstance(fichier, bytes) else fichier.read(taille_max + 1)
    if len(contenu) > taille_max:
        raise FichierRefuse(
            0, f"Fichier trop volumineux : {taille_max // 1024 // 1024} Mo au plus."
        )
    return io.BytesIO(contenu)


def encodage_du_flux(flux: IO[bytes]) -> str:
    """``utf-8-sig`` or ``utf-8`` when the whole file decodes so, else ``cp1252``.

    Reads the stream from where it stands to its end, by blocks; raises
    :class:`FichierRefuse` for a file that is empty, binary or in neither encoding.
    """
    debut = flux.tell()
    bom = flux.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    if not bom:
        flux.seek(debut)
    decodeur = codecs.getincrementaldecoder("utf-8")()
    utf8 = cp1252 = vide = True
    while bloc := flux.read(TAILLE_DU_BLOC):
        vide = vide and not bloc.strip()
        if b"\x00" in bloc:
            raise FichierRefuse(
                0,
                "Le fichier contient des octets nuls : ce n'est pas un fichier CSV texte "
                "(un export « Unicode » UTF-16, peut-être). Enregistrez-le en CSV UTF-8.",
            )
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
        raise FichierRefuse(0, "Le fichier est vide.")
    if utf8:
        return "utf-8-sig" if bom else "utf-8"
    if cp1252:
        return "cp1252"
    raise FichierRefuse(
        0, "Le fichier n'est ni en UTF-8 ni en Windows-1252. Enregistrez-le en CSV UTF-8."
    )


@contextmanager
def texte_du_flux(flux: IO[bytes], debut: int, encodage: str) -> Iterator[io.TextIOWrapper]:
    """The stream decoded from byte ``debut``, line breaks left as they are for csv."""
    flux.seek(debut)
    texte = io.TextIOWrapper(flux, encoding=encodage, newline="")
    try:
        yield texte
    finally:
        # Leaves the caller's file open: closing it is the caller's business.
        texte.detach()


@contextmanager
def texte_du_fichier(
    fichier: bytes | IO[bytes], *, taille_max: int
) -> Iterator[tuple[str, io.TextIOWrapper]]:
    """An uploaded file, bounded and decoded: its encoding and its text. Raises
    :class:`FichierRefuse` before yielding when it cannot be read."""
    flux = charger(fichier, taille_max=taille_max)
    encodage = encodage_du_flux(flux)
    with texte_du_flux(flux, 0, encodage) as texte:
        yield encodage, texte


class LectureCsv:
    """One pass over a decoded CSV text: the header at once, then the rows on demand.

    The separator is the one the header line holds most. The header's cells are kept as
    written (``entete``) and normalised (``colonnes``), trailing empty ones dropped. The
    rows are checked for what any import refuses (unreadable quoting, overlong line, a
    number of cells other than the header's, a control character); each refusal is
    reported with its physical line and the row is skipped. ``lignes_lues`` counts the
    rows that are not blank, refused ones included.
    """

    def __init__(self, texte: IO[str], *, signaler: Signaler) -> None:
        self._signaler = signaler
        self._demesurees: set[int] = set()
        physiques = self._lignes_physiques(texte)
        premiere = next(physiques, "")
        self.separateur = max(SEPARATEURS, key=premiere.count)
        # strict: a quote in the middle of a quoted field is an error, not a guess.
        self._csv = csv.reader(
            itertools.chain([premiere], physiques), delimiter=self.separateur, strict=True
        )
        try:
            entete = next(self._csv, [])
        except csv.Error:
            entete = []
        while entete and not entete[-1].strip():
            entete.pop()
        self.entete = entete
        self.colonnes = [nom_de_colonne(cellule) for cellule in entete]
        self.lignes_lues = 0

    def _lignes_physiques(self, texte: IO[str]) -> Iterator[str]:
        """The lines of the file, an overlong one replaced by an empty line and noted."""
        numero = 0
        while ligne := texte.readline(LONGUEUR_MAX_LIGNE):
            numero += 1
            if len(ligne) == LONGUEUR_MAX_LIGNE and not ligne.endswith(("\n", "\r")):
                self._demesurees.add(numero)
                while (reste := texte.readline(LONGUEUR_MAX_LIGNE)) and not reste.endswith(
                    ("\n", "\r")
                ):
                    pass
                ligne = "\n"
            yield ligne

    def lignes(self, *, noms: Sequence[str] | None = None) -> Iterator[LigneCsv]:
        """The rows after the header. ``noms``, one per column, names the columns in the
        errors (by default their normalised header)."""
        noms = list(noms) if noms is not None else self.colonnes
        attendus = len(self.colonnes)
        fin = self._csv.line_num
        while True:
            debut = fin + 1
            try:
                cellules = next(self._csv)
            except StopIteration:
                return
            except csv.Error:
                fin = self._csv.line_num
                self.lignes_lues += 1
                self._signaler(
                    debut, "", "Ligne illisible : champ démesuré ou guillemet non refermé."
                )
                continue
            fin = self._csv.line_num
            if self._demesurees and any(n in self._demesurees for n in range(debut, fin + 1)):
                self._demesurees.clear()
                self.lignes_lues += 1
                self._signaler(
                    debut,
                    "",
                    f"Ligne démesurée (plus de {nombre(LONGUEUR_MAX_LIGNE)} caractères).",
                )
                continue
            if not any(c.strip() for c in cellules):
                continue  # blank lines, and the ";;;;" rows that spreadsheets leave
            self.lignes_lues += 1
            if len(cellules) > attendus and not any(c.strip() for c in cellules[attendus:]):
                cellules = cellules[:attendus]
            if len(cellules) != attendus:
                self._signaler(
                    debut,
                    "",
                    f"{len(cellules)} champ{'s' if len(cellules) > 1 else ''} au lieu de "
                    f"{attendus} : vérifiez les séparateurs "
                    f"« {libelle_separateur(self.separateur)} » et les guillemets.",
                )
                continue
            # One search over the whole row, the common case; cell by cell only to name
            # the columns of a row that holds one.
            if _CONTROLE.search("".join(cellules)):
                for nom, cellule in zip(noms, cellules, strict=True):
                    if _CONTROLE.search(cellule):
                        self._signaler(debut, nom, MESSAGE_CONTROLE)
                continue
            yield LigneCsv(debut, cellules)
