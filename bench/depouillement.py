"""The count of a list election, stage by stage, and the same election with belenios-tool.

    .venv/bin/python -m bench.depouillement [--bulletins 10000 100000] [--belenios 1000]
                                            [--processus 2]

Isoloir side, the pure cryptography (no Django, the count's own code):

- a threshold key from a real ceremony with no dealer: 3 key holders, threshold 2
  (``isoloir.crypto.seuil``: communication keys, dealing, reception, key, each holder's
  share);
- a scrutin of six lists and the blank vote (7 choices) and N valid ballots, voter ``i``
  choosing ``i mod 7`` (made in ``--processus`` processes; timed apart, it is the booth's
  work, not the count's);
- then the count as ``counting.depouillement`` runs it: the strict reading of every ballot
  (one process, as the server does), the homomorphic sum per choice, each holder's partial
  decryption with its proofs, the check of the shares, their combination with the
  discrete logarithm, the seats (``sieges.repartir``); then what any observer
  runs to check it all again from public data (every ballot, the sums, the ceremony's
  transcript, the tally), in ``--processus`` processes since nothing there is sequential.
  The decrypted counts must be the round-robin's (the run stops otherwise).

Each stage is given in seconds, in milliseconds per ballot, and as a ratio to a baseline
measured in the same run: the raw libsodium scalar multiplications one ballot's
verification needs (as ``bench/bulletin.py``), so that figures from a loaded or a faster
machine stay comparable.

Belenios side (``bench/belenios.py``): the same election with Debian's ``belenios-tool``
2.0 at ``--belenios`` ballots (1,000 by default: 10,000 take about 45 minutes with that
tool; 0 skips it), then a side-by-side table with the Isoloir run of the same size.
"""

import argparse
import hashlib
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

# Run as ``-m bench.depouillement`` or as a script: the repository (for ``bench``) and src/
# (for the pure ``isoloir.crypto``) on the path, no Django setup.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pysodium

from bench import belenios
from isoloir import sieges  # pure, no Django
from isoloir.crypto import elgamal, seuil
from isoloir.crypto.bulletin import (
    VOTE_BLANC,
    creer_bulletin,
    lire_manifeste,
    manifeste,
    verifier_bulletin,
)
from isoloir.crypto.elgamal import Chiffre
from isoloir.crypto.groupe import AleaSysteme
from isoloir.crypto.manifeste import Manifeste

LISTES = ("FSU", "UNSA Éducation", "SGEN-CFDT", "SNALC", "FO", "SUD")
CHOIX = len(LISTES) + 1  # the blank vote first
DETENTEURS = 3
SEUIL = 2
SIEGES = 10
CANDIDATS = 10
# Counted from isoloir.crypto.bulletin (verifier_preuve_choix, verifier_preuve_somme):
# per choice 2 base-point and 6 variable-base multiplications, plus 1 and 3 for the sum.
VERIFICATION_BASE = 2 * CHOIX + 1
VERIFICATION_VARIABLE = 6 * CHOIX + 3
TRANCHE = 500  # ballots per task given to a worker process


class EchecBanc(RuntimeError):
    """The count does not give the truth, or the public check refuses it: no figure."""


# --- Baseline -----------------------------------------------------------------------------


def reference(repetitions: int = 200) -> float:
    """Median seconds of the raw libsodium multiplications one ballot's verification needs
    (called straight through pysodium, nothing else), after two warm-up calls."""
    scalaires = [pysodium.crypto_core_ristretto255_scalar_random() for _ in range(64)]
    points = [pysodium.crypto_core_ristretto255_random() for _ in range(64)]

    def faire() -> None:
        for n in range(VERIFICATION_BASE):
            pysodium.crypto_scalarmult_ristretto255_base(scalaires[n % 64])
        for n in range(VERIFICATION_VARIABLE):
            pysodium.crypto_scalarmult_ristretto255(scalaires[n % 64], points[(n * 7) % 64])

    faire()
    faire()
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        faire()
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)


# --- The election ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Election:
    """What the ceremony leaves: the public key and transcript, each holder's share
    ``x_j`` (secret: here only because the bench plays every holder), the manifest."""

    cle: seuil.CleSeuil
    distributions: tuple[seuil.Distribution, ...]
    plaintes: tuple[seuil.Plainte, ...]
    parts_de_cle: dict[int, bytes]
    manifeste: Manifeste


def ceremonie(detenteurs: int = DETENTEURS, seuil_: int = SEUIL) -> Election:
    """A real dealerless ceremony, every holder played in turn, then the scrutin's manifest
    under the key it gives (as ``tests/counting`` runs it, without the database)."""
    alea = AleaSysteme()
    communications = [seuil.generer_cle_communication(alea) for _ in range(detenteurs)]
    contexte = seuil.Contexte(
        identifiant="banc/bureau-central",
        seuil=seuil_,
        cles_communication=tuple(z_public for _, z_public in communications),
    )
    distributions = tuple(seuil.distribuer(contexte, j, alea) for j in range(1, detenteurs + 1))
    receptions = [
        seuil.recevoir(contexte, j, communications[j - 1][0], distributions, alea)
        for j in range(1, detenteurs + 1)
    ]
    plaintes = tuple(p for r in receptions for p in r.plaintes)
    if plaintes:
        raise EchecBanc(f"{len(plaintes)} plainte(s) dans une cérémonie honnête")
    cle = seuil.etablir_cle(contexte, distributions, plaintes)
    parts_de_cle = {r.detenteur: seuil.cle_de_detenteur(cle, r) for r in receptions}
    m = manifeste(
        campagne="banc",
        scrutin="csa-banc",
        intitule="Banc d'essai du dépouillement",
        choix=[VOTE_BLANC, *LISTES],
        cle_publique=cle.cle_publique,
        origine_cle="ceremonie",
        ouverture=datetime(2026, 12, 1, 8, tzinfo=UTC),
        cloture=datetime(2026, 12, 8, 16, tzinfo=UTC),
    )
    return Election(
        cle=cle,
        distributions=distributions,
        plaintes=plaintes,
        parts_de_cle=parts_de_cle,
        manifeste=m,
    )


# --- Work shared with the worker processes ------------------------------------------------
# The workers are forked after these are set: they inherit the manifest and the ballot box
# instead of receiving 3.4 kB per ballot through a pipe; a task is a range of indices.

_MANIFESTE: Manifeste | None = None
_URNE: Sequence[str] = ()


def _creer_tranche(tranche: range) -> list[str]:
    assert _MANIFESTE is not None
    alea = AleaSysteme()
    return [creer_bulletin(_MANIFESTE, i % CHOIX, alea) for i in tranche]


def _sommes_partielles(chiffres: Sequence[Sequence[Chiffre]]) -> list[Chiffre]:
    return [elgamal.somme(c[k] for c in chiffres) for k in range(CHOIX)]


def _reverifier_tranche(tranche: range) -> list[Chiffre]:
    """The observer's reading of some ballots: each verified, their sums per choice."""
    assert _MANIFESTE is not None
    return _sommes_partielles([verifier_bulletin(_URNE[i], _MANIFESTE).chiffres for i in tranche])


def _tranches(n: int) -> list[range]:
    return [range(debut, min(debut + TRANCHE, n)) for debut in range(0, n, TRANCHE)]


def _en_parallele[T](processus: int, travail: Callable[[range], T], n: int) -> list[T]:
    """``travail`` over the ranges of ``0..n``, in order, in ``processus`` forked workers
    (in this process when 1)."""
    if processus == 1:
        return [travail(t) for t in _tranches(n)]
    with multiprocessing.get_context("fork").Pool(processus) as pool:
        resultats = pool.map(travail, _tranches(n), chunksize=1)
        pool.close()
        pool.join()  # reaped: their CPU time counts in RUSAGE_CHILDREN
    return resultats


def creer_urne(election: Election, n: int, processus: int) -> list[str]:
    """``n`` valid ballots, ballot ``i`` for choice ``i mod 7`` (0 is the blank vote)."""
    global _MANIFESTE
    # The workers get the manifest as the booth does: from its canonical text.
    _MANIFESTE = lire_manifeste(election.manifeste.texte)
    return [b for tranche in _en_parallele(processus, _creer_tranche, n) for b in tranche]


def verite(n: int) -> tuple[int, ...]:
    return belenios.verite(n, CHOIX)


# --- The count, timed -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mesure:
    cle: str
    libelle: str
    secondes: float
    cpu: float  # this process and its reaped children, user + system


@dataclass
class ResultatIsoloir:
    bulletins: int
    processus: int
    mesures: list[Mesure] = field(default_factory=list)
    decomptes: tuple[int, ...] = ()
    sieges: dict[str, int] = field(default_factory=dict)

    def mesure(self, cle: str) -> Mesure:
        return next(m for m in self.mesures if m.cle == cle)


def _cpu() -> float:
    soi = resource.getrusage(resource.RUSAGE_SELF)
    enfants = resource.getrusage(resource.RUSAGE_CHILDREN)
    return soi.ru_utime + soi.ru_stime + enfants.ru_utime + enfants.ru_stime


def _mesurer[T](resultat: ResultatIsoloir, cle: str, libelle: str, action: Callable[[], T]) -> T:
    cpu = _cpu()
    debut = time.perf_counter()
    valeur = action()
    secondes = time.perf_counter() - debut
    resultat.mesures.append(Mesure(cle=cle, libelle=libelle, secondes=secondes, cpu=_cpu() - cpu))
    return valeur


def _graine(election: Election, sommes: Sequence[Chiffre]) -> bytes:
    # As counting.depouillement: fixed by the key and the sums, before any decryption.
    texte = election.cle.empreinte.hex() + "".join(s.alpha.hex() + s.beta.hex() for s in sommes)
    return hashlib.sha256(texte.encode()).digest()


def _repartir(decomptes: Sequence[int], graine: bytes) -> sieges.Repartition:
    return sieges.repartir(
        [
            sieges.Liste(identifiant=sigle, voix=v, candidats=CANDIDATS)
            for sigle, v in zip(LISTES, decomptes[1:], strict=True)
        ],
        SIEGES,
        graine=graine,
    )


def depouiller(
    election: Election, urne: Sequence[str], processus: int, resultat: ResultatIsoloir
) -> None:
    """The count of ``urne`` and its public check, each stage recorded in ``resultat``.
    EchecBanc if the counts are not the round-robin's or a check refuses."""
    global _MANIFESTE, _URNE
    n = len(urne)
    m = election.manifeste
    cle = election.cle
    alea = AleaSysteme()

    chiffres = _mesurer(
        resultat,
        "verification",
        "vérification des bulletins (1 processus)",
        lambda: [verifier_bulletin(b, m).chiffres for b in urne],
    )
    libelle = f"somme homomorphe ({CHOIX} choix)"
    sommes = _mesurer(resultat, "somme", libelle, partial(_sommes_partielles, chiffres))
    del chiffres
    parts = []
    for j in range(1, SEUIL + 1):
        x = election.parts_de_cle[j]
        parts.append(
            _mesurer(
                resultat,
                f"dechiffrement_{j}",
                f"déchiffrement partiel, détenteur {j} (preuves)",
                partial(seuil.dechiffrer_partiellement, cle, j, x, sommes, alea),
            )
        )
    valides = _mesurer(
        resultat,
        "verification_parts",
        f"vérification des {SEUIL} parts",
        lambda: all(seuil.verifier_part_dechiffrement(cle, sommes, p) for p in parts),
    )
    if not valides:
        raise EchecBanc("une part de déchiffrement honnête est refusée")
    decomptes = _mesurer(
        resultat,
        "combinaison",
        "combinaison + logarithme discret",
        lambda: seuil.combiner(cle, sommes, parts, n),
    )
    graine = _graine(election, sommes)
    repartition = _mesurer(
        resultat,
        "sieges",
        f"sièges ({SIEGES}, quotient et plus forte moyenne)",
        lambda: _repartir(decomptes, graine),
    )
    if decomptes != verite(n):
        raise EchecBanc(f"le dépouillement donne {list(decomptes)}, la vérité est {verite(n)}")
    if sum(repartition.sieges.values()) + repartition.vacants != SIEGES:
        raise EchecBanc("les sièges attribués et vacants ne font pas le total")

    transcription = seuil.Transcription(
        contexte=cle.contexte,
        distributions=election.distributions,
        plaintes=election.plaintes,
        qualifies=cle.qualifies,
        cle_publique=cle.cle_publique,
        depouillements=(
            seuil.Depouillement(chiffres=tuple(sommes), parts=tuple(parts), decomptes=decomptes),
        ),
    )

    def reverifier() -> None:
        # From the published data only: the manifest's text, the ballots, the transcript.
        global _MANIFESTE, _URNE
        _MANIFESTE, _URNE = lire_manifeste(m.texte), urne
        partielles = _en_parallele(processus, _reverifier_tranche, n)
        recalculees = [elgamal.somme(p[k] for p in partielles) for k in range(CHOIX)]
        if recalculees != list(sommes):
            raise EchecBanc("les sommes recalculées ne sont pas celles publiées")
        seuil.verifier_transcription(transcription)
        if _repartir(decomptes, _graine(election, recalculees)) != repartition:
            raise EchecBanc("les sièges recalculés diffèrent")

    try:
        _mesurer(
            resultat,
            "reverification",
            f"re-vérification publique ({processus} processus)",
            reverifier,
        )
    except seuil.TranscriptionInvalide as erreur:
        raise EchecBanc(f"la transcription publique est refusée : {erreur}") from erreur
    finally:
        _MANIFESTE, _URNE = None, ()
    resultat.decomptes = decomptes
    resultat.sieges = dict(repartition.sieges)


ETAPES_DU_DEPOUILLEMENT = (
    "verification",
    "somme",
    *(f"dechiffrement_{j}" for j in range(1, SEUIL + 1)),
    "verification_parts",
    "combinaison",
    "sieges",
)


def mesurer_isoloir(
    n: int, processus: int, journal: Callable[[str], None] = lambda _ligne: None
) -> ResultatIsoloir:
    """Ceremony, ``n`` ballots, count and public check, every stage timed."""
    resultat = ResultatIsoloir(bulletins=n, processus=processus)
    journal(f"Isoloir : cérémonie des clés ({DETENTEURS} détenteurs, seuil {SEUIL})…")
    election = _mesurer(
        resultat, "ceremonie", f"cérémonie des clés ({DETENTEURS} détenteurs)", ceremonie
    )
    journal(f"Isoloir : création de {_nombre(n)} bulletins ({processus} processus)…")
    urne = _mesurer(
        resultat,
        "creation",
        f"création des bulletins ({processus} processus)",
        lambda: creer_urne(election, n, processus),
    )
    journal(f"Isoloir : dépouillement de {_nombre(n)} bulletins…")
    depouiller(election, urne, processus, resultat)
    return resultat


# --- Report -------------------------------------------------------------------------------------


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _charge() -> str:
    un, cinq, quinze = os.getloadavg()
    return f"charge {un:.2f} / {cinq:.2f} / {quinze:.2f} (1, 5, 15 min)"


def rapport_isoloir(r: ResultatIsoloir, ref: float) -> list[str]:
    n = r.bulletins
    lignes = [
        f"Isoloir, {_nombre(n)} bulletins ({CHOIX} choix, {DETENTEURS} détenteurs, seuil {SEUIL})",
        f"  {'étape':50} {'secondes':>9} {'CPU s':>9} {'ms/bulletin':>12} {'× réf.':>8}",
    ]

    def ligne(libelle: str, secondes: float, cpu: float) -> str:
        par = secondes / n
        return f"  {libelle:50} {secondes:9.3f} {cpu:9.3f} {par * 1000:12.4f} {par / ref:8.3f}"

    for cle in ("ceremonie", "creation"):
        m = r.mesure(cle)
        lignes.append(ligne(m.libelle + " *", m.secondes, m.cpu))
    for cle in ETAPES_DU_DEPOUILLEMENT:
        m = r.mesure(cle)
        lignes.append(ligne(m.libelle, m.secondes, m.cpu))
    total = [r.mesure(c) for c in ETAPES_DU_DEPOUILLEMENT]
    lignes.append(
        ligne(
            "= dépouillement, de l'urne aux sièges",
            sum(m.secondes for m in total),
            sum(m.cpu for m in total),
        )
    )
    m = r.mesure("reverification")
    lignes.append(ligne(m.libelle, m.secondes, m.cpu))
    lignes.append(
        f"  (* hors dépouillement) Décomptes, blanc d'abord : {list(r.decomptes)} = vérité ; "
        f"sièges : {r.sieges}"
    )
    return lignes


# Isoloir's stages against belenios-tool's, for the same election.
CORRESPONDANCES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("cérémonie des clés (3 détenteurs, seuil 2) *", ("ceremonie",), ("ceremonie",)),
    ("création des bulletins (P processus) *", ("creation",), ("creation",)),
    ("vérification de l'urne", ("verification",), ("verification",)),
    ("somme chiffrée", ("somme",), ("somme",)),
    ("déchiffrement partiel, détenteur 1", ("dechiffrement_1",), ("dechiffrement_1",)),
    ("déchiffrement partiel, détenteur 2", ("dechiffrement_2",), ("dechiffrement_2",)),
    (
        "résultat (parts vérifiées, combinées ; sièges)",
        ("verification_parts", "combinaison", "sieges"),
        ("resultat",),
    ),
    (
        "= dépouillement, de l'urne au résultat",
        ETAPES_DU_DEPOUILLEMENT,
        ("verification", "somme", "dechiffrement_1", "dechiffrement_2", "resultat"),
    ),
    ("vérification publique finale **", ("reverification",), ("verification_finale",)),
)


def rapport_comparaison(i: ResultatIsoloir, b: belenios.ResultatBelenios, ref: float) -> list[str]:
    n = i.bulletins
    lignes = [
        f"Côte à côte, {_nombre(n)} bulletins, {CHOIX} choix, {DETENTEURS} détenteurs seuil "
        f"{SEUIL} ; belenios-tool {b.version}, groupe {belenios.GROUPE}",
        f"  {'étape':48} {'Isoloir s':>10} {'belenios s':>11} {'belenios/Isoloir':>17} "
        f"{'Isoloir ms/b':>13} {'belenios ms/b':>14}",
    ]
    for libelle, cles_i, cles_b in CORRESPONDANCES:
        if not all(any(e.nom == c for e in b.etapes) for c in cles_b):
            continue
        s_i = sum(i.mesure(c).secondes for c in cles_i)
        s_b = sum(b.etape(c).secondes for c in cles_b)
        lignes.append(
            f"  {libelle.replace('P processus', f'{i.processus} processus'):48} {s_i:10.3f} "
            f"{s_b:11.3f} {s_b / s_i:17.1f} {s_i * 1000 / n:13.4f} {s_b * 1000 / n:14.3f}"
        )
    for nom, libelle in (
        ("accreditations", "accréditations des électeurs (belenios seul) *"),
        ("depot", "dépôt dans l'archive, 1 appel par bulletin *"),
    ):
        e = b.etape(nom)
        lignes.append(
            f"  {libelle:48} {'—':>10} {e.secondes:11.3f} {'—':>17} {'—':>13} "
            f"{e.secondes * 1000 / n:14.3f}"
        )
    verif_b = b.etape("verification").secondes / n
    lignes += [
        f"  Vérification d'un bulletin : Isoloir {i.mesure('verification').secondes / n / ref:.2f}"
        f" × réf., belenios-tool {verif_b / ref:.1f} × réf. (réf. = {ref * 1000:.3f} ms, les "
        f"{VERIFICATION_BASE} + {VERIFICATION_VARIABLE} multiplications libsodium d'une "
        "vérification Isoloir).",
        f"  belenios-tool : {list(b.decomptes)} = vérité. (* hors dépouillement ; ** Isoloir en "
        f"{i.processus} processus, belenios-tool en un seul, il n'en a pas d'autre mode.)",
        "  Dans belenios-tool 2.0, la somme, chaque déchiffrement partiel et le résultat "
        "revérifient tous les bulletins",
        "  avant leur propre travail (docs/bench.md) : leur coût est celui d'une vérification "
        "de l'urne, pas du calcul lui-même.",
    ]
    return lignes


def _duree(secondes: float) -> str:
    return f"{secondes / 60:.0f} min" if secondes < 5400 else f"{secondes / 3600:.1f} h"


def estimation_belenios(b: belenios.ResultatBelenios, tailles: Sequence[int]) -> str:
    """Linear extrapolation of belenios-tool's run to larger elections: a lower bound,
    since the archive appends grow as n²."""
    secondes = sum(e.secondes for e in b.etapes) / b.bulletins
    return (
        f"belenios-tool, extrapolation linéaire des {_nombre(b.bulletins)} bulletins (un "
        "minimum : le dépôt dans l'archive croît en n²) : "
        + ", ".join(f"{_nombre(n)} bulletins ≥ {_duree(secondes * n)}" for n in tailles)
        + " ; d'où --belenios 1000 par défaut."
    )


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Temps du dépouillement d'Isoloir, et de belenios-tool sur la même élection."
    )
    parser.add_argument("--bulletins", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--belenios",
        type=int,
        default=1000,
        help="bulletins de l'élection belenios-tool (0 : pas de belenios ; 10 000 : ~45 min)",
    )
    parser.add_argument("--processus", type=int, default=2)
    args = parser.parse_args(arguments)
    if args.processus < 1 or min(args.bulletins) < 1 or args.belenios < 0:
        parser.error("--processus et --bulletins ≥ 1, --belenios ≥ 0")

    def journal(ligne: str) -> None:
        print(f"  [{time.strftime('%H:%M:%S')}] {ligne}", file=sys.stderr, flush=True)

    debut = time.perf_counter()
    modele = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            modele = next(
                ligne.split(":", 1)[1].strip()
                for ligne in cpuinfo
                if ligne.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    print(f"Banc du dépouillement, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"Machine : {modele}, {os.cpu_count()} cœurs ; Python {platform.python_version()} ; "
        f"libsodium via pysodium ; {_charge()} au départ"
    )
    ref = reference()
    print(
        f"Référence (même exécution) : les {VERIFICATION_BASE} + {VERIFICATION_VARIABLE} "
        f"multiplications scalaires libsodium d'une vérification de bulletin = {ref * 1000:.3f} ms"
    )
    print()

    tailles = list(dict.fromkeys(args.bulletins))
    if args.belenios and args.belenios not in tailles:
        tailles.insert(0, args.belenios)
    resultats: dict[int, ResultatIsoloir] = {}
    for n in tailles:
        resultats[n] = mesurer_isoloir(n, args.processus, journal)
        for ligne in rapport_isoloir(resultats[n], ref):
            print(ligne)
        print(f"  ({_charge()} à la fin)")
        print()

    if args.belenios:
        b = belenios.lancer(args.belenios, processus=args.processus, journal=journal)
        for ligne in rapport_comparaison(resultats[args.belenios], b, ref):
            print(ligne)
        print(f"  ({_charge()} à la fin)")
        plus_grandes = [n for n in tailles if n > args.belenios]
        if plus_grandes:
            print("  " + estimation_belenios(b, plus_grandes))
        print()
    print(f"Durée totale du banc : {(time.perf_counter() - debut) / 60:.1f} min ; {_charge()}")


if __name__ == "__main__":
    main()
