"""Import of a campagne's electoral roll (liste électorale) from a CSV file.

The file is read twice, as a stream. The first pass checks every row: its format, the
duplicates within the file and the conflicts with the database, looked up by batches. If a
single row is wrong, the import ends after this pass with the list of errors. The second
pass, in the same transaction, computes and applies the changes batch by batch. Keeping the
rows between the passes would cost memory in proportion to the roll (1.4 million voters
nationally); reading the file again costs only time.

The NUMEN is hashed as soon as it is read: it never reaches an error, the report or the
journal. A cell is quoted in an error only when it cannot be a NUMEN (see :func:`_citer`).
"""

import codecs
import csv
import io
import itertools
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from isoloir.accounts import numen
from isoloir.accounts.models import Civilite, Compte, Electeur
from isoloir.audit.services import journaliser
from isoloir.core import clock
from isoloir.elections.models import Campagne, Inscription, Scrutin

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
TAILLE_LOT = 1000
# A real row holds well under a thousand characters; reading by bounded pieces keeps a
# file without line breaks from being loaded whole.
LONGUEUR_MAX_LIGNE = 10_000
# Beyond this many errors the rest are counted, not listed: a file in the wrong format can
# give one error per row, and a roll has up to a million rows.
ERREURS_LISTEES_MAX = 1000
AGE_MINIMUM, AGE_MAXIMUM = 16, 80
PAYS_FRANCE = "99100"

ENCODAGES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "cp1252": "Windows-1252"}
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
_valider_email = EmailValidator()


@dataclass(frozen=True)
class ErreurImport:
    ligne: int  # physical line of the file, 1 being the header; 0 for the file as a whole
    colonne: str  # empty when the error concerns the whole line
    raison: str

    def __str__(self) -> str:
        lieu = f"ligne {self.ligne}" if self.ligne else "fichier"
        if self.colonne:
            lieu += f", colonne {self.colonne}"
        return f"{lieu} : {self.raison}"


@dataclass
class RapportImport:
    simulation: bool
    encodage: str = ""
    separateur: str = ""
    lignes_lues: int = 0
    erreurs: list[ErreurImport] = field(default_factory=list)
    nombre_erreurs: int = 0
    avertissements: list[str] = field(default_factory=list)
    electeurs_crees: int = 0
    electeurs_mis_a_jour: int = 0
    electeurs_inchanges: int = 0
    inscriptions_ajoutees: int = 0
    inscriptions_retirees: int = 0

    @property
    def refuse(self) -> bool:
        return self.nombre_erreurs > 0

    @property
    def libelle_encodage(self) -> str:
        return ENCODAGES.get(self.encodage, "")

    @property
    def erreurs_non_listees(self) -> int:
        return self.nombre_erreurs - len(self.erreurs)

    def signaler(self, ligne: int, colonne: str, raison: str) -> None:
        self.nombre_erreurs += 1
        if len(self.erreurs) < ERREURS_LISTEES_MAX:
            self.erreurs.append(ErreurImport(ligne, colonne, raison))

    def resume(self) -> list[str]:
        """The report in French sentences, errors excepted, for the command line."""
        lignes: list[str] = []
        if self.encodage:
            lignes.append(
                f"Fichier lu : {self.lignes_lues} ligne(s) d'électeurs, encodage "
                f"{self.libelle_encodage}, séparateur « {self.separateur} »."
            )
        lignes += self.avertissements
        if self.refuse:
            lignes.append(
                f"Import refusé : {self.nombre_erreurs} erreur(s). Rien n'a été enregistré."
            )
            return lignes
        lignes.append(
            "Simulation : rien n'a été enregistré. Voici ce que l'import ferait."
            if self.simulation
            else "Import enregistré."
        )
        lignes += [
            f"Électeurs créés : {self.electeurs_crees}",
            f"Électeurs mis à jour : {self.electeurs_mis_a_jour}",
            f"Électeurs inchangés : {self.electeurs_inchanges}",
            f"Inscriptions ajoutées : {self.inscriptions_ajoutees}",
            f"Inscriptions retirées : {self.inscriptions_retirees}",
        ]
        return lignes


@dataclass(frozen=True)
class _Ligne:
    """A valid row, its NUMEN already replaced by its keyed hash."""

    numero: int
    empreinte: str
    email: str
    scrutin_ids: frozenset[int]
    identite: dict[str, object]


def importer_liste_electorale(
    *,
    campagne: Campagne,
    fichier: str | os.PathLike[str] | IO[bytes],
    simulation: bool = False,
    compte_id: int | None = None,
    ip: str = "",
) -> RapportImport:
    """Check a roll file and, if every row is right, apply it to ``campagne``.

    Each voter of the file, found by the hash of their NUMEN, is created or updated, and
    their inscriptions to this campagne's scrutins become exactly the listed ones; voters
    absent from the file and other campagnes are left as they are. With ``simulation`` the
    counts are computed and nothing is written. ``compte_id`` and ``ip`` say who imports,
    for the journal.
    """
    rapport = RapportImport(simulation=simulation)
    with _flux_binaire(fichier) as flux:
        debut = flux.tell()
        encodage = _detecter_encodage(flux, rapport)
        if encodage is None:
            return rapport
        rapport.encodage = encodage
        rapport.avertissements += _avertissements(campagne=campagne, encodage=encodage)
        codes = {
            code.lower(): pk
            for code, pk in Scrutin.objects.filter(campagne=campagne).values_list("code", "pk")
        }
        jour = timezone.localdate(campagne.ouverture)
        lecteur = _Lecteur(codes=codes, jour=jour, rapport=rapport)
        try:
            with transaction.atomic(durable=True):
                # Two imports of the same campagne run one after the other.
                Campagne.objects.select_for_update().get(pk=campagne.pk)
                with _texte(flux, debut, encodage) as texte:
                    for lot in itertools.batched(lecteur.lignes(texte), TAILLE_LOT):
                        _verifier_conflits(lot, rapport)
                if rapport.refuse:
                    # The database checks come by batches, after the rows' own errors.
                    rapport.erreurs.sort(key=lambda erreur: erreur.ligne)
                    return rapport
                # The second reading meets the same rows, all valid, so it reports nothing.
                # The first one's memory of NUMENs and e-mails is let go before.
                del lecteur
                relecture = _Lecteur(
                    codes=codes, jour=jour, rapport=RapportImport(simulation=simulation)
                )
                with _texte(flux, debut, encodage) as texte:
                    for lot in itertools.batched(relecture.lignes(texte), TAILLE_LOT):
                        _appliquer(lot, campagne=campagne, rapport=rapport, ecrire=not simulation)
                if not simulation:
                    journaliser(
                        "liste_electorale.importee",
                        compte_id=compte_id,
                        ip=ip,
                        campagne=campagne.slug,
                        lignes=rapport.lignes_lues,
                        electeurs_crees=rapport.electeurs_crees,
                        electeurs_mis_a_jour=rapport.electeurs_mis_a_jour,
                        electeurs_inchanges=rapport.electeurs_inchanges,
                        inscriptions_ajoutees=rapport.inscriptions_ajoutees,
                        inscriptions_retirees=rapport.inscriptions_retirees,
                    )
        except IntegrityError:
            # Someone changed an account between our checks and our writes: all was undone.
            rapport = RapportImport(simulation=simulation, encodage=encodage)
            rapport.signaler(
                0,
                "",
                "La base a été modifiée pendant l'import ; rien n'a été enregistré. "
                "Relancez l'import.",
            )
    return rapport


def _avertissements(*, campagne: Campagne, encodage: str) -> list[str]:
    avertissements = []
    if encodage == "cp1252":
        avertissements.append(
            "Le fichier n'est pas en UTF-8 : il a été lu en Windows-1252. Vérifiez les "
            "accents des noms, ou enregistrez le fichier en CSV UTF-8."
        )
    ouverture_propre = Scrutin.objects.filter(campagne=campagne).aggregate(
        premiere=Min("ouverture")
    )["premiere"]
    if clock.now() >= min(campagne.ouverture, ouverture_propre or campagne.ouverture):
        avertissements.append(
            "Le vote de cette campagne a commencé : assurez-vous que cette modification de "
            "la liste électorale est autorisée."
        )
    return avertissements


# --- Reading the file --------------------------------------------------------------------


@contextmanager
def _flux_binaire(fichier: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
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


def _detecter_encodage(flux: IO[bytes], rapport: RapportImport) -> str | None:
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
def _texte(flux: IO[bytes], debut: int, encodage: str) -> Iterator[io.TextIOWrapper]:
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
    decompose = unicodedata.normalize("NFKD", entete.strip().strip("\ufeff").strip())
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", sans_accents.casefold())


def _citer(valeur: str) -> str:
    """Quote a cell in an error, unless it may hold a NUMEN: a file without its header
    line or with shifted columns puts NUMENs where we do not expect them."""
    if _PEUT_CONTENIR_UN_NUMEN.search(numen.normaliser(valeur)):
        return "(valeur masquée)"
    return f"« {valeur[:40]}{'…' if len(valeur) > 40 else ''} »"


def _age(naissance: date, jour: date) -> int:
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


class _Lecteur:
    """One reading of the file: yields the valid rows and reports the others.

    Remembers which line gave each NUMEN hash and each e-mail, to point at duplicates.
    """

    def __init__(self, *, codes: dict[str, int], jour: date, rapport: RapportImport) -> None:
        self.codes = codes
        self.jour = jour
        self.rapport = rapport
        self.numens: dict[str, int] = {}
        self.emails: dict[str, int] = {}
        self.longueurs = {
            champ: int(getattr(Electeur._meta.get_field(champ), "max_length", None) or 0)
            for champ in ("nom_naissance", "nom_usage", "prenoms", "etablissement")
        }

    def lignes(self, texte: io.TextIOWrapper) -> Iterator[_Ligne]:
        demesurees: set[int] = set()
        physiques = _lignes_physiques(texte, demesurees)
        premiere = next(physiques, "")
        separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
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

    def _analyser(self, numero: int, cellules: dict[str, str]) -> _Ligne | None:
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
                if (premiere := self.numens.setdefault(empreinte, numero)) != numero:
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
                _valider_email(email)
            except ValidationError:
                erreur("email_professionnel", "Adresse électronique invalide.")
            else:
                if (premiere := self.emails.setdefault(email, numero)) != numero:
                    erreur("email_professionnel", f"Adresse déjà présente ligne {premiere}.")

        scrutin_ids: set[int] = set()
        for code in codes:
            if (pk := self.codes.get(code.lower())) is None:
                erreur("scrutins", f"Scrutin {_citer(code)} inconnu dans cette campagne.")
            else:
                scrutin_ids.add(pk)

        if self.rapport.nombre_erreurs > avant or civilite is None or naissance is None:
            return None
        return _Ligne(
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


# --- Comparing with and writing to the database ------------------------------------------


def _verifier_conflits(lot: Iterable[_Ligne], rapport: RapportImport) -> None:
    """Report the e-mails that belong to another account in the database.

    Checked against the database as it is before the import, so that the writes of the
    second pass can come in any order without breaking the uniqueness of e-mails.
    """
    lignes = list(lot)
    comptes_des_electeurs = dict(
        Electeur.objects.filter(
            numen_empreinte__in=[ligne.empreinte for ligne in lignes]
        ).values_list("numen_empreinte", "compte_id")
    )
    proprietaires = {
        email: (compte_id, electeur_id)
        for email, compte_id, electeur_id in Compte.objects.filter(
            email__in=[ligne.email for ligne in lignes]
        ).values_list("email", "id", "electeur__id")
    }
    for ligne in lignes:
        if ligne.email not in proprietaires:
            continue
        compte_id, electeur_id = proprietaires[ligne.email]
        son_compte = comptes_des_electeurs.get(ligne.empreinte)
        if son_compte == compte_id:
            continue
        if electeur_id is not None:
            rapport.signaler(
                ligne.numero,
                "email_professionnel",
                "Adresse déjà utilisée par un autre électeur (NUMEN différent).",
            )
        elif son_compte is not None:
            rapport.signaler(
                ligne.numero, "email_professionnel", "Adresse déjà utilisée par un autre compte."
            )
        # Otherwise the account has no voter yet (an administrator who also votes): the new
        # voter will be attached to it.


def _appliquer(
    lot: Iterable[_Ligne], *, campagne: Campagne, rapport: RapportImport, ecrire: bool
) -> None:
    lignes = list(lot)
    electeurs = {
        e.numen_empreinte: e
        for e in Electeur.objects.select_related("compte").filter(
            numen_empreinte__in=[ligne.empreinte for ligne in lignes]
        )
    }
    inscriptions: dict[int, dict[int, int]] = {e.pk: {} for e in electeurs.values()}
    for pk, electeur_id, scrutin_id in Inscription.objects.filter(
        electeur_id__in=inscriptions, scrutin__campagne=campagne
    ).values_list("pk", "electeur_id", "scrutin_id"):
        inscriptions[electeur_id][scrutin_id] = pk

    nouveaux: list[_Ligne] = []
    modifies: list[Electeur] = []
    emails_modifies: list[Compte] = []
    a_inscrire: list[Inscription] = []
    a_retirer: list[int] = []
    for ligne in lignes:
        electeur = electeurs.get(ligne.empreinte)
        if electeur is None:
            nouveaux.append(ligne)
            rapport.electeurs_crees += 1
            rapport.inscriptions_ajoutees += len(ligne.scrutin_ids)
            continue
        actuelles = inscriptions[electeur.pk]
        ajouts = ligne.scrutin_ids - actuelles.keys()
        retraits = [
            pk for scrutin_id, pk in actuelles.items() if scrutin_id not in ligne.scrutin_ids
        ]
        a_inscrire += [Inscription(electeur=electeur, scrutin_id=s) for s in ajouts]
        a_retirer += retraits
        rapport.inscriptions_ajoutees += len(ajouts)
        rapport.inscriptions_retirees += len(retraits)
        identite_changee = any(getattr(electeur, k) != val for k, val in ligne.identite.items())
        if identite_changee:
            for k, val in ligne.identite.items():
                setattr(electeur, k, val)
            modifies.append(electeur)
        email_change = electeur.compte.email != ligne.email
        if email_change:
            electeur.compte.email = ligne.email
            emails_modifies.append(electeur.compte)
        if identite_changee or email_change or ajouts or retraits:
            rapport.electeurs_mis_a_jour += 1
        else:
            rapport.electeurs_inchanges += 1
    if not ecrire:
        return

    # Rows were checked field by field against the models' rules, which bulk writes skip.
    Electeur.objects.bulk_update(modifies, CHAMPS_D_IDENTITE)
    Compte.objects.bulk_update(emails_modifies, ["email"])
    Inscription.objects.filter(pk__in=a_retirer).delete()
    comptes = {
        c.email: c for c in Compte.objects.filter(email__in=[ligne.email for ligne in nouveaux])
    }
    a_creer = [Compte(email=ligne.email) for ligne in nouveaux if ligne.email not in comptes]
    for compte in a_creer:
        compte.set_unusable_password()
    comptes |= {c.email: c for c in Compte.objects.bulk_create(a_creer)}
    crees = Electeur.objects.bulk_create(
        Electeur(compte=comptes[ligne.email], numen_empreinte=ligne.empreinte, **ligne.identite)
        for ligne in nouveaux
    )
    for electeur, ligne in zip(crees, nouveaux, strict=True):
        a_inscrire += [Inscription(electeur=electeur, scrutin_id=s) for s in ligne.scrutin_ids]
    Inscription.objects.bulk_create(a_inscrire)
