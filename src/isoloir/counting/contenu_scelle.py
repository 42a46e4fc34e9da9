"""What a bureau's seal covers (docs/scellement.md), computed from the database as of
now: the program (version and a fingerprint of its source files), and for each scrutin its
window, seats, manifest, candidate lists, roll and key. ``scellement.py`` signs and later
compares this content; the public archive publishes the same list dictionaries so that
``isoloir verify`` recomputes the lists' fingerprint.
"""

import functools
import hashlib
import importlib.metadata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import isoloir
from isoloir.booth.cles import manifeste_du_scrutin
from isoloir.booth.models import CleDeScrutin
from isoloir.counting.models import BureauDeVote, CeremonieDesCles, EtatCeremonie
from isoloir.crypto import seuil
from isoloir.elections.models import Inscription, ListeCandidats, Scrutin
from isoloir.elections.selectors import fenetre_du_scrutin

VERSION = 1

# What the program fingerprint reads: the source, templates and static files of the
# installed package (the vendored libsodium included: the booth runs it).
EXTENSIONS_DU_LOGICIEL = (".py", ".js", ".html", ".css")


def _instant(moment: datetime) -> str:
    """UTC, to the second, as the manifest writes it."""
    u = moment.astimezone(UTC)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def _sha256_canonique(valeur: object) -> str:
    return seuil.empreinte_du_contenu(valeur).hex()


def empreinte_du_logiciel(racine: Path) -> dict[str, Any]:
    """SHA-256 over the program's files under ``racine``, in byte order of their relative
    paths: for each, ``enc(path) ‖ enc(content)`` (4-byte big-endian length, then the
    bytes), so that no two file sets give the same input. Byte-code caches are left out:
    they follow from the sources."""
    fichiers = sorted(
        (chemin.relative_to(racine).as_posix(), chemin)
        for chemin in racine.rglob("*")
        if chemin.is_file()
        and chemin.suffix in EXTENSIONS_DU_LOGICIEL
        and "__pycache__" not in chemin.parts
    )
    condensat = hashlib.sha256()
    for relatif, chemin in sorted(fichiers, key=lambda f: f[0].encode()):
        for partie in (relatif.encode(), chemin.read_bytes()):
            condensat.update(len(partie).to_bytes(4, "big"))
            condensat.update(partie)
    return {"empreinte": condensat.hexdigest(), "fichiers": len(fichiers)}


def version_du_logiciel() -> str:
    """The installed package's version (the seal and the archive name the same)."""
    try:
        return importlib.metadata.version("isoloir")
    except importlib.metadata.PackageNotFoundError:
        return getattr(isoloir, "__version__", "inconnue")


@functools.cache
def logiciel() -> dict[str, Any]:
    """The program this process runs: read once, at the first seal computed. A process
    started on other files computes another fingerprint, and the seal breaks."""
    return {
        "version": version_du_logiciel(),
        **empreinte_du_logiciel(Path(isoloir.__file__).resolve().parent),
    }


def empreinte_liste_electorale(scrutin: Scrutin) -> dict[str, Any]:
    """The roll, without personal data in clear: SHA-256 over the voters' NUMEN
    fingerprints (keyed HMAC, accounts/numen.py), one per line, sorted byte-wise (the
    same on every database), each followed by a line feed; and the number of inscrits."""
    lignes = sorted(
        Inscription.objects.filter(scrutin=scrutin)
        .values_list("electeur__numen_empreinte", flat=True)
        .iterator(chunk_size=10_000)
    )
    condensat = hashlib.sha256()
    for ligne in lignes:
        condensat.update(ligne.encode("ascii") + b"\n")
    return {"empreinte": condensat.hexdigest(), "inscrits": len(lignes)}


def _sha256_du_fichier(fichier: Any) -> str | None:
    if not fichier:
        return None
    try:
        with fichier.open("rb") as flux:
            return hashlib.file_digest(flux, "sha256").hexdigest()
    except OSError:
        return None


def liste_scellee(liste: ListeCandidats) -> dict[str, Any]:
    """What the seal fingerprints of a list: its place, names, profession de foi (name and
    SHA-256) and candidates in rank order. The archive publishes the same dictionary, so
    that the verifier recomputes the fingerprint."""
    return {
        "ordre": liste.ordre,
        "sigle": liste.sigle,
        "denomination": liste.denomination,
        "union": liste.union,
        "profession_de_foi": {
            "nom": liste.profession_de_foi.name or "",
            "sha256": _sha256_du_fichier(liste.profession_de_foi),
        },
        "candidats": [
            {"rang": c.rang, "civilite": c.civilite, "nom": c.nom, "prenoms": c.prenoms}
            for c in sorted(liste.candidats.all(), key=lambda c: c.rang)
        ],
    }


def empreinte_des_listes(scrutin: Scrutin) -> str:
    """SHA-256 of the canonical JSON of the candidate lists, in ballot order."""
    return _sha256_canonique(
        [
            liste_scellee(liste)
            for liste in scrutin.listes.order_by("ordre").prefetch_related("candidats")
        ]
    )


def contenu_du_scrutin(scrutin: Scrutin) -> dict[str, Any]:
    fenetre = fenetre_du_scrutin(scrutin)
    cle = CleDeScrutin.objects.filter(scrutin=scrutin).first()
    manifeste = manifeste_du_scrutin(scrutin)
    return {
        "code": scrutin.code,
        "intitule": scrutin.intitule,
        "type": scrutin.type,
        "perimetre": scrutin.perimetre,
        "ouverture": _instant(fenetre.ouverture),
        "cloture": _instant(fenetre.cloture),
        "sieges_titulaires": scrutin.sieges_titulaires,
        "sieges_suppleants": scrutin.sieges_suppleants,
        "cle_publique": cle.cle_publique if cle else None,
        "origine_cle": cle.origine if cle else None,
        "manifeste": manifeste.empreinte_hex if manifeste else None,
        "listes": empreinte_des_listes(scrutin),
        "liste_electorale": empreinte_liste_electorale(scrutin),
    }


def scrutins_du_bureau(bureau: BureauDeVote) -> list[Scrutin]:
    """The bureau's scrutins, in code order (the seal's and the archive's order)."""
    return list(
        Scrutin.objects.filter(rattachement_au_bureau__bureau=bureau)
        .select_related("campagne")
        .order_by("code")
    )


def contenu_du_scellement(bureau: BureauDeVote) -> dict[str, Any]:
    """What the bureau seals, as of now (docs/scellement.md)."""
    ceremonie = CeremonieDesCles.objects.filter(bureau=bureau).first()
    cle = None
    if ceremonie is not None and ceremonie.etat == EtatCeremonie.CLOSE and ceremonie.cle:
        cle = {"empreinte": ceremonie.empreinte, "cle_publique": ceremonie.cle["cle_publique"]}
    return {
        "version": VERSION,
        "campagne": bureau.campagne.slug,
        "bureau": {"nom": bureau.nom, "seuil": bureau.seuil},
        "cle": cle,
        "logiciel": logiciel(),
        "scrutins": [contenu_du_scrutin(s) for s in scrutins_du_bureau(bureau)],
    }


def empreinte_du_contenu(contenu: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``contenu``: sorted keys, no whitespace,
    UTF-8."""
    return _sha256_canonique(contenu)
