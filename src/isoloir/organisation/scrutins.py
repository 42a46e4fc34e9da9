"""Creating or updating a campaign's scrutins from a CSV file, all or nothing.

600 scrutins are too many to type in a form: the administration exports them from its
tools. Each row is checked as the model checks it; a single wrong row and nothing is
written, and each error names its line. A scrutin is found again by its code, so importing
a corrected file updates the scrutins rather than duplicating them.
"""

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction

from isoloir.audit.services import journaliser
from isoloir.core.lecture_csv import ErreurDeLigne, FichierRefuse, LectureCsv, texte_du_fichier
from isoloir.elections.models import Campagne, Scrutin
from isoloir.elections.verrous import refus_de_modification

COLONNES = [
    "code",
    "intitule",
    "type",
    "perimetre",
    "sieges_titulaires",
    "sieges_suppleants",
    "ordre",
]
NOMBRES = ["sieges_titulaires", "sieges_suppleants", "ordre"]
TAILLE_MAXIMALE = 2 * 1024 * 1024  # 600 scrutins take about 60 kB
LIGNES_MAXIMALES = 5000


@dataclass
class RapportScrutins:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    erreurs: list[ErreurDeLigne] = field(default_factory=list)

    @property
    def refuse(self) -> bool:
        return bool(self.erreurs)

    def signaler(self, ligne: int, colonne: str, message: str) -> None:
        self.erreurs.append(ErreurDeLigne(ligne, colonne, message))


def _entier(valeur: str) -> int:
    return int(valeur.strip()) if valeur.strip() else 0


def importer_scrutins(
    *, campagne: Campagne, fichier: IO[bytes], compte_id: int | None = None, ip: str = ""
) -> RapportScrutins:
    rapport = RapportScrutins()
    try:
        with texte_du_fichier(fichier, taille_max=TAILLE_MAXIMALE) as (_, texte):
            a_enregistrer, existants = _lire(
                campagne, LectureCsv(texte, signaler=rapport.signaler), rapport
            )
    except FichierRefuse as refus:
        rapport.signaler(refus.ligne, "", refus.message)
        return rapport
    if rapport.erreurs:
        return rapport
    with transaction.atomic():
        for scrutin, nouveau in a_enregistrer:
            scrutin.save()
            if nouveau:
                rapport.crees += 1
            else:
                rapport.modifies += 1
        rapport.inchanges = len(existants) - rapport.modifies
        journaliser(
            "scrutins.importes",
            compte_id=compte_id,
            ip=ip,
            campagne=campagne.slug,
            crees=rapport.crees,
            modifies=rapport.modifies,
        )
    return rapport


def _lire(
    campagne: Campagne, lecture: LectureCsv, rapport: RapportScrutins
) -> tuple[list[tuple[Scrutin, bool]], dict[str, Scrutin]]:
    """The scrutins to save, and those the campaign has; the errors in the report."""
    manquantes = [c for c in COLONNES if c not in lecture.colonnes]
    if manquantes:
        rapport.signaler(
            0,
            "",
            "L'en-tête doit nommer les colonnes "
            + ", ".join(COLONNES)
            + " ; il manque : "
            + ", ".join(manquantes)
            + ".",
        )
        return [], {}
    existants = {s.code: s for s in Scrutin.objects.filter(campagne=campagne)}
    a_enregistrer: list[tuple[Scrutin, bool]] = []
    vus: set[str] = set()
    for ligne in lecture.lignes():
        if ligne.numero > LIGNES_MAXIMALES:
            rapport.signaler(0, "", f"Plus de {LIGNES_MAXIMALES} lignes : découpez le fichier.")
            break
        valeurs = dict(
            zip(lecture.colonnes, (cellule.strip() for cellule in ligne.cellules), strict=True)
        )
        erreurs = _preparer(campagne, valeurs, existants, vus, a_enregistrer)
        if erreurs:
            rapport.signaler(ligne.numero, "", " ; ".join(erreurs))
    return a_enregistrer, existants


def _preparer(
    campagne: Campagne,
    valeurs: dict[str, str],
    existants: dict[str, Scrutin],
    vus: set[str],
    a_enregistrer: list[tuple[Scrutin, bool]],
) -> list[str]:
    """Check one row; queue the scrutin to save if it changes; return every error of the
    row, so that a file is fixed in one go (issue 12, item 13)."""
    erreurs: list[str] = []
    code = valeurs["code"].lower()
    if code in vus:
        erreurs.append(f"le code « {code[:64]} » figure déjà plus haut dans le fichier.")
    vus.add(code)
    scrutin = existants.get(code) or Scrutin(campagne=campagne, code=code)
    avant = _contenu(scrutin)
    scrutin.intitule = valeurs["intitule"]
    scrutin.type = valeurs["type"].upper()
    scrutin.perimetre = valeurs["perimetre"]
    illisibles = []
    for champ in NOMBRES:
        try:
            nombre = _entier(valeurs[champ])
        except ValueError:
            erreurs.append(f"{_libelle(champ)} : un nombre entier est attendu.")
            illisibles.append(champ)
            continue
        if not 0 <= nombre <= 32767:
            erreurs.append(f"{_libelle(champ)} : un nombre entre 0 et 32 767 est attendu.")
            illisibles.append(champ)
            continue
        setattr(scrutin, champ, nombre)
    try:
        scrutin.full_clean(exclude=["campagne", *illisibles], validate_unique=False)
    except ValidationError as erreur:
        erreurs.extend(
            f"{_libelle(champ)} : {' '.join(messages)}"
            for champ, messages in erreur.message_dict.items()
        )
    if erreurs:
        return erreurs
    nouveau = scrutin.pk is None
    if nouveau or avant != _contenu(scrutin):
        refus = None if nouveau else refus_de_modification(scrutin)
        if refus:
            return [refus]
        a_enregistrer.append((scrutin, nouveau))
    return []


def _contenu(scrutin: Scrutin) -> tuple[object, ...]:
    return (
        scrutin.intitule,
        scrutin.type,
        scrutin.perimetre,
        scrutin.sieges_titulaires,
        scrutin.sieges_suppleants,
        scrutin.ordre,
    )


def _libelle(champ: str) -> str:
    noms = {f.name: str(f.verbose_name) for f in Scrutin._meta.fields}
    return noms.get(champ, "scrutin")
