"""The public archive of an election (issue 5 § 8): everything anybody needs to redo
every check of the vote and the count with ``isoloir verify``, in one ZIP file.

The archive holds only what is already public or a fingerprint of it: the manifests, the
key ceremony's messages, the seal, the ballots and trackers of the board, the closing's
counts and fingerprints, the encrypted sums, the decryption shares with their proofs and
the result. No voter's name, no émargement list (its count and fingerprint only), no
member's name (each holder by index and role). Its layout is
``isoloir.verification.format``; docs/verification.md describes it file by file.

The ZIP is deterministic: names sorted, fixed timestamps and permissions, so that the
same election gives the same bytes, and two copies can be compared by their SHA-256.
"""

import fcntl
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from isoloir.ballotbox import services as urne
from isoloir.ballotbox.models import Releve
from isoloir.booth.cles import manifeste_du_scrutin
from isoloir.counting import ceremonie as ceremonies
from isoloir.counting import contenu_scelle
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    Cloture,
    Depouillement,
    EtatCeremonie,
    MembreDuBureau,
    MessageDeCeremonie,
    NatureDuMessage,
    Scellement,
)
from isoloir.elections.models import Campagne, ListeCandidats, Scrutin
from isoloir.elections.selectors import fenetre_du_scrutin
from isoloir.verification import format as f

# Every entry carries this date: the ZIP format's earliest, as no moment means anything.
DATE_FIXE = (1980, 1, 1, 0, 0, 0)


class ArchiveImpossible(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _instant(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _liste(liste: ListeCandidats) -> dict[str, Any]:
    """A list as the seal fingerprints it, plus its id, which the result names it by."""
    return {"id": liste.pk, **contenu_scelle.liste_scellee(liste)}


def _bureaux(objet: Campagne | BureauDeVote) -> tuple[Campagne, list[BureauDeVote]]:
    if isinstance(objet, BureauDeVote):
        return objet.campagne, [objet]
    bureaux = list(objet.bureaux.order_by("pk"))
    sans_bureau = objet.scrutins.filter(rattachement_au_bureau__isnull=True).order_by("code")
    if sans_bureau.exists():
        raise ArchiveImpossible(
            "Ces scrutins ne sont rattachés à aucun bureau de vote : "
            + ", ".join(s.code for s in sans_bureau)
            + "."
        )
    if not bureaux:
        raise ArchiveImpossible("Cette campagne n'a aucun bureau de vote.")
    return objet, bureaux


# --- One file per part of the election ---------------------------------------------------


def _election(campagne: Campagne, bureaux: list[BureauDeVote]) -> dict[str, Any]:
    scrutins = []
    for bureau in bureaux:
        for scrutin in contenu_scelle.scrutins_du_bureau(bureau):
            manifeste = manifeste_du_scrutin(scrutin)
            if manifeste is None:
                raise ArchiveImpossible(f"Le scrutin {scrutin.code} n'a pas de clé.")
            ouverture, cloture = scrutin.fenetre
            scrutins.append(
                {
                    "code": scrutin.code,
                    "intitule": scrutin.intitule,
                    "type": scrutin.type,
                    "perimetre": scrutin.perimetre,
                    "bureau": f.cle_de_bureau(bureau.pk),
                    "ouverture": _instant(ouverture),
                    "cloture": _instant(cloture),
                    "sieges_titulaires": scrutin.sieges_titulaires,
                    "sieges_suppleants": scrutin.sieges_suppleants,
                    "manifeste": manifeste.texte,
                    "empreinte_manifeste": manifeste.empreinte_hex,
                    "listes": [
                        _liste(li)
                        for li in scrutin.listes.order_by("ordre").prefetch_related("candidats")
                    ],
                }
            )
    return {
        "format": f.FORMAT,
        "version": f.VERSION,
        "logiciel": contenu_scelle.version_du_logiciel(),
        "campagne": {
            "slug": campagne.slug,
            "nom": campagne.nom,
            "ouverture": _instant(campagne.ouverture),
            "cloture": _instant(campagne.cloture),
        },
        "bureaux": [
            {
                "cle": f.cle_de_bureau(b.pk),
                "nom": b.nom,
                "seuil": b.seuil,
                "scrutins": [s.code for s in contenu_scelle.scrutins_du_bureau(b)],
            }
            for b in bureaux
        ],
        "scrutins": scrutins,
    }


def _ceremonie(bureau: BureauDeVote) -> dict[str, Any]:
    ceremonie = CeremonieDesCles.objects.filter(bureau=bureau).first()
    if ceremonie is None or ceremonie.etat != EtatCeremonie.CLOSE:
        raise ArchiveImpossible(
            f"La cérémonie des clés du bureau « {bureau.nom} » n'est pas close."
        )
    rang = {pk: j for j, pk in enumerate(ceremonie.detenteurs, start=1)}
    membres = MembreDuBureau.objects.select_related("liste__scrutin").in_bulk(
        list(ceremonie.detenteurs)
    )
    messages: dict[str, dict[int, Any]] = {n: {} for n in NatureDuMessage.values}
    for m in MessageDeCeremonie.objects.filter(ceremonie=ceremonie):
        messages[m.nature][rang[m.membre_id]] = m.contenu
    return {
        "bureau": f.cle_de_bureau(bureau.pk),
        "ouverte_le": _instant(ceremonie.ouverte_le),
        "close_le": _instant(ceremonie.close_le),
        # Each holder by index and role only: who they are is the bureau's business.
        "detenteurs": [
            {
                "indice": j,
                "role": membres[pk].role,
                "liste": _liste_representee(membres[pk]),
            }
            for pk, j in rang.items()
        ],
        "contexte": ceremonies.contexte(ceremonie).vers_dict(),
        "distributions": [messages[NatureDuMessage.DISTRIBUTION][j] for j in sorted(rang.values())],
        "receptions": [
            {"detenteur": j, "plaintes": messages[NatureDuMessage.RECEPTION][j]["plaintes"]}
            for j in sorted(messages[NatureDuMessage.RECEPTION])
        ],
        "cle": ceremonie.cle,
        "empreinte": ceremonie.empreinte,
    }


def _liste_representee(membre: MembreDuBureau) -> dict[str, str] | None:
    liste = membre.liste
    return None if liste is None else {"scrutin": liste.scrutin.code, "sigle": liste.sigle}


def _scellement(bureau: BureauDeVote) -> dict[str, Any]:
    scelle = Scellement.objects.filter(bureau=bureau, scelle_le__isnull=False).first()
    if scelle is None:
        raise ArchiveImpossible(f"Le bureau « {bureau.nom} » n'a pas été scellé.")
    return {
        "bureau": f.cle_de_bureau(bureau.pk),
        "contenu": scelle.contenu,
        "empreinte": scelle.empreinte,
        "signatures": scelle.signatures,
        "propose_le": _instant(scelle.propose_le),
        "scelle_le": _instant(scelle.scelle_le),
    }


def _urne(scrutin: Scrutin, texte_du_manifeste: str) -> Callable[[], Iterator[bytes]]:
    """The same lines as the board's public export after the closing (booth/views.py)."""

    def lignes() -> Iterator[bytes]:
        yield (f.ligne_de_manifeste(texte_du_manifeste) + "\n").encode("utf-8")
        for _, contenu in urne.bulletins(scrutin.pk):
            yield (contenu + "\n").encode("utf-8")

    return lignes


def _tableau(scrutin: Scrutin, cloture: Cloture) -> dict[str, Any]:
    # The board's last statement after the closing, taken now if nobody looked yet.
    urne.releve_a_jour(
        scrutin.pk, code_scrutin=scrutin.code, cloture=fenetre_du_scrutin(scrutin).cloture
    )
    return {
        "scrutin": scrutin.code,
        # The number of ballots of each statement stays out: during the vote it was the
        # number of émargements, which only the bureau sees (crypto/tableau.py).
        "releves": [
            {
                "numero": r.numero,
                "empreinte_tableau": r.empreinte_tableau,
                "precedent": r.precedent,
                "valeur": r.valeur,
                "fait_le": _instant(r.fait_le),
            }
            for r in Releve.objects.filter(scrutin_id=scrutin.pk).order_by("numero")
        ],
        "cloture": {
            "bulletins": cloture.bulletins,
            "emargements": cloture.emargements,
            "empreinte_urne": cloture.empreinte_urne,
            "empreinte_emargement": cloture.empreinte_emargement,
            "faite_le": _instant(cloture.faite_le),
        },
    }


def _depouillement(d: Depouillement) -> dict[str, Any]:
    return {
        "scrutin": d.scrutin.code,
        "bulletins": d.bulletins,
        "emargements": d.emargements,
        "sommes": d.sommes,
        "graine": d.graine,
        "parts": sorted((p.contenu for p in d.parts.all()), key=lambda c: c["detenteur"]),
        "ouvert_le": _instant(d.ouvert_le),
        "calcule_le": _instant(d.calcule_le),
        "resultat": d.resultat,
    }


def _contenus(objet: Campagne | BureauDeVote) -> dict[str, Callable[[], Iterable[bytes]]]:
    """Every file of the archive, by name; refused while the election is not over."""
    campagne, bureaux = _bureaux(objet)
    election = _election(campagne, bureaux)
    contenus: dict[str, Callable[[], Iterable[bytes]]] = {
        f.ELECTION: lambda: [f.fichier_json(election)]
    }

    def fichier(valeur: object) -> Callable[[], Iterable[bytes]]:
        octets = f.fichier_json(valeur)
        return lambda: [octets]

    for bureau in bureaux:
        cle = f.cle_de_bureau(bureau.pk)
        contenus[f.chemin_ceremonie(cle)] = fichier(_ceremonie(bureau))
        contenus[f.chemin_scellement(cle)] = fichier(_scellement(bureau))
    for description in election["scrutins"]:
        scrutin = Scrutin.objects.get(campagne=campagne, code=description["code"])
        cloture = Cloture.objects.filter(scrutin=scrutin).first()
        depouillement = Depouillement.objects.filter(scrutin=scrutin).first()
        if cloture is None or depouillement is None or depouillement.resultat is None:
            raise ArchiveImpossible(
                f"Le résultat du scrutin {scrutin.code} n'est pas encore calculé : l'archive "
                "se fait à la fin du dépouillement."
            )
        contenus[f.chemin_urne(scrutin.code)] = _urne(scrutin, description["manifeste"])
        contenus[f.chemin_tableau(scrutin.code)] = fichier(_tableau(scrutin, cloture))
        contenus[f.chemin_depouillement(scrutin.code)] = fichier(_depouillement(depouillement))
    return contenus


def construire_archive(objet: Campagne | BureauDeVote, destination: str | Path) -> Path:
    """Write the archive of a campaign (all its bureaux) or of one bureau to
    ``destination``, atomically: a reader never sees half an archive.
    :class:`ArchiveImpossible` while a result is missing."""
    destination = Path(destination)
    contenus = _contenus(objet)
    descripteur, temporaire = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".partiel"
    )
    try:
        with os.fdopen(descripteur, "wb") as flux, zipfile.ZipFile(flux, "w") as archive:
            for nom in sorted(contenus):
                info = zipfile.ZipInfo(nom, date_time=DATE_FIXE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so that the permissions below read the same
                info.external_attr = 0o644 << 16
                with archive.open(info, "w", force_zip64=True) as entree:
                    for morceau in contenus[nom]():
                        entree.write(morceau)
        os.chmod(temporaire, 0o644)
        os.replace(temporaire, destination)
    except BaseException:
        Path(temporaire).unlink(missing_ok=True)
        raise
    return destination


# --- The public copy ----------------------------------------------------------------------


def dossier_des_archives() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "archives"


@dataclass(frozen=True)
class ArchivePubliee:
    """A public archive as served: its file and its SHA-256, by which anybody compares the
    copy they downloaded with the one the index page announces."""

    chemin: Path
    empreinte: str

    @property
    def octets(self) -> int:
        return self.chemin.stat().st_size


def _etiquette(calcules: list[tuple[int, datetime | None]]) -> str:
    """The moments of the counts, condensed: a count run again gives a new name."""
    return hashlib.sha256(
        repr([(pk, _instant(moment)) for pk, moment in calcules]).encode()
    ).hexdigest()[:16]


def _publier(
    dossier: Path,
    nom: str,
    calcules: list[tuple[int, datetime | None]],
    objet: Campagne | BureauDeVote,
) -> ArchivePubliee:
    """Built once and kept, beside its fingerprint; the fingerprint's file is written
    last, so that its presence says the archive is whole."""
    dossier.mkdir(parents=True, exist_ok=True)
    chemin = dossier / f"{nom}-{_etiquette(calcules)}.zip"
    empreinte = chemin.with_name(chemin.name + ".sha256")
    if not empreinte.exists():
        # One build at a time: the requests that arrive meanwhile wait for it, then serve
        # the same file, instead of each reading the whole urne again.
        with (dossier / f".{nom}.verrou").open("w") as verrou:
            fcntl.flock(verrou, fcntl.LOCK_EX)
            if not empreinte.exists():
                construire_archive(objet, chemin)
                with chemin.open("rb") as flux:
                    valeur = hashlib.file_digest(flux, "sha256").hexdigest()
                partiel = empreinte.with_name(f".{empreinte.name}.partiel")
                partiel.write_text(valeur + "\n", encoding="ascii")
                os.replace(partiel, empreinte)
    return ArchivePubliee(chemin, empreinte.read_text(encoding="ascii").strip())


def archive_publiee(campagne: Campagne) -> ArchivePubliee:
    """The campaign's archive as the public page serves it, once every scrutin's result is
    computed. Its name carries the moments of the counts, so that a count run again gives
    a new archive instead of an old one."""
    scrutins = campagne.scrutins.count()
    calcules = list(
        Depouillement.objects.filter(scrutin__campagne=campagne, calcule_le__isnull=False)
        .order_by("scrutin_id")
        .values_list("scrutin_id", "calcule_le")
    )
    if not scrutins or len(calcules) != scrutins:
        raise ArchiveImpossible(
            "L'archive de l'élection est publiée quand les résultats de tous ses scrutins "
            "sont calculés."
        )
    return _publier(dossier_des_archives(), campagne.slug, calcules, campagne)


def archive_publiee_du_bureau(bureau: BureauDeVote) -> ArchivePubliee:
    """One bureau's archive (the scrutins it counted, its ceremony and its seal), once
    each of its scrutins has its result: it does not wait for the rest of the campaign,
    whose scrutins may never be counted (a demonstration's development keys)."""
    scrutins = bureau.rattachements.count()
    calcules = list(
        Depouillement.objects.filter(
            scrutin__rattachement_au_bureau__bureau=bureau, calcule_le__isnull=False
        )
        .order_by("scrutin_id")
        .values_list("scrutin_id", "calcule_le")
    )
    if not scrutins or len(calcules) != scrutins:
        raise ArchiveImpossible(
            f"L'archive du bureau « {bureau.nom} » est publiée quand les résultats de tous "
            "ses scrutins sont calculés."
        )
    # In the campaign's own folder: no campaign's name can then meet a bureau's.
    dossier = dossier_des_archives() / bureau.campagne.slug
    return _publier(dossier, f.cle_de_bureau(bureau.pk), calcules, bureau)
