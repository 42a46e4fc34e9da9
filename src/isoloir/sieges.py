"""Seat allocation of a list election: quotient électoral, then plus forte moyenne.

``docs/sieges.md`` gives the rules, their sources and worked examples. Pure Python and
exact rationals (never floats), with no Django: the bureau de vote, the PV and anyone
re-checking a result run the same code and get the same seats.
"""

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby

ETIQUETTE_SIEGE = "isoloir/v1/tirage-siege"
ETIQUETTE_ORDRE = "isoloir/v1/tirage-ordre"


@dataclass(frozen=True)
class Liste:
    """A list as the count sees it.

    ``voix``: the valid votes the list obtained (blank and void ballots are not votes for a
    list, so they never reach this module). For a CAP this is also the « nombre moyen de
    voix » of décret 82-451 art. 21: on Isoloir's ballot (one choice, one whole list, no
    crossing out) every candidate of a list gets exactly the list's votes, so the average
    over its candidates is the list's votes (docs/sieges.md, « Variante CAP »).

    ``candidats``: the number of titular candidates, the most seats the list can fill.
    """

    identifiant: str
    voix: int
    candidats: int


@dataclass(frozen=True)
class Tirage:
    """One drawing of lots, written so that anyone can redo it by hand.

    ``message`` is the exact text hashed (canonical JSON: the label, the seed in hex, the
    competing lists sorted, the seat or the rank at stake); ``empreinte`` its SHA-256 in
    hex. The winner is ``listes[int(empreinte, 16) % len(listes)]``."""

    numero: int  # the seat (repartir) or the rank in the order of choice (ordre_de_choix)
    listes: tuple[str, ...]
    message: str
    empreinte: str
    gagnante: str


@dataclass(frozen=True)
class Egalite:
    """A tie on the highest average that decided something: more lists at that average
    than seats left to give. Ties that decide nothing (each tied list gets a seat in any
    order) are not ties in the sense of the rule and are neither settled nor recorded.

    Such a tie takes every seat left, so an allocation has at most one."""

    sieges: tuple[int, ...]  # seat numbers at stake, 1 to N in order of attribution
    moyenne: Fraction
    listes: tuple[str, ...]  # the lists tied on that average, sorted
    gagnantes: tuple[str, ...]  # who took ``sieges``, in the same order
    tirages: tuple[Tirage, ...]  # empty when the votes settled the whole tie

    @property
    def departage(self) -> str:
        """« voix » if the votes settled the tie, « tirage » if a lot had to finish it."""
        return "tirage" if self.tirages else "voix"


@dataclass(frozen=True)
class Repartition:
    """The seats of each list, how they were won, and the tie that settled the last ones."""

    exprimes: int
    quotient: Fraction | None  # None when there is nothing to divide (no seat or no vote)
    sieges: dict[str, int]
    au_quotient: dict[str, int]
    a_la_moyenne: dict[str, int]
    egalite: Egalite | None
    vacants: int  # seats no list could fill: to be filled as the instance's text says
    graine: bytes


@dataclass(frozen=True)
class OrdreDeChoix:
    """CAP: the order in which the lists that won seats choose their grades."""

    ordre: tuple[str, ...]
    tirages: tuple[Tirage, ...]


def _entier_positif(valeur: object) -> bool:
    # bool is an int subclass: True votes or True seats are a caller's bug, not a 1.
    return type(valeur) is int and valeur >= 0


def _verifier(listes: Sequence[Liste], sieges: int, graine: bytes) -> tuple[Liste, ...]:
    if not _entier_positif(sieges):
        raise ValueError("le nombre de sièges doit être un entier positif ou nul")
    if not isinstance(graine, bytes) or not graine:
        raise ValueError("la graine du tirage au sort doit être une suite d'octets non vide")
    vues: set[str] = set()
    for liste in listes:
        if not isinstance(liste, Liste):
            raise ValueError("chaque liste doit être une Liste")
        if not isinstance(liste.identifiant, str) or not liste.identifiant:
            raise ValueError("l'identifiant d'une liste doit être un texte non vide")
        try:
            liste.identifiant.encode("utf-8")
        except UnicodeEncodeError as erreur:  # a lone surrogate cannot enter a draw
            raise ValueError(f"identifiant de liste illisible : {liste.identifiant!r}") from erreur
        if liste.identifiant in vues:
            raise ValueError(f"identifiant de liste en double : {liste.identifiant!r}")
        vues.add(liste.identifiant)
        if not _entier_positif(liste.voix):
            raise ValueError(
                f"liste {liste.identifiant!r} : les voix doivent être positives ou nulles"
            )
        if not _entier_positif(liste.candidats):
            raise ValueError(
                f"liste {liste.identifiant!r} : le nombre de candidats doit être positif ou nul"
            )
    return tuple(listes)


def tirer(etiquette: str, graine: bytes, numero: int, listes: Sequence[str]) -> Tirage:
    """Draws one list among ``listes`` for the seat (or rank) ``numero``.

    Everything the draw depends on is in the hashed text, and nothing else is: the same
    seed always gives the same winner, and a PV showing the text lets anyone check it."""
    en_lice = sorted(listes)
    cle = "rang" if etiquette == ETIQUETTE_ORDRE else "siege"
    message = json.dumps(
        {"etiquette": etiquette, "graine": graine.hex(), "listes": en_lice, cle: numero},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    empreinte = hashlib.sha256(message.encode("utf-8")).hexdigest()
    # 256 bits modulo a handful of lists: the bias is below 2⁻²⁵⁰, nothing to correct.
    gagnante = en_lice[int(empreinte, 16) % len(en_lice)]
    return Tirage(
        numero=numero,
        listes=tuple(en_lice),
        message=message,
        empreinte=empreinte,
        gagnante=gagnante,
    )


def verifier_tirage(tirage: Tirage) -> bool:
    """True if the recorded draw is what its text gives: what an observer re-runs."""
    try:
        contenu = json.loads(tirage.message)
    except ValueError:
        return False
    etiquette = contenu.get("etiquette") if isinstance(contenu, dict) else None
    if etiquette not in (ETIQUETTE_SIEGE, ETIQUETTE_ORDRE):
        return False
    try:
        graine = bytes.fromhex(contenu["graine"])
    except (KeyError, TypeError, ValueError):
        return False
    if not graine or tuple(contenu.get("listes", ())) != tirage.listes or not tirage.listes:
        return False
    return tirer(etiquette, graine, tirage.numero, tirage.listes) == tirage


def _departager(
    ex_aequo: list[str], places: int, premier_siege: int, voix: Mapping[str, int], graine: bytes
) -> tuple[list[str], list[Tirage]]:
    """``places`` seats for more tied lists than that: the most votes first, then the lot
    among the lists level on votes at the boundary, one seat at a time."""
    par_voix = sorted(ex_aequo, key=lambda i: (-voix[i], i))
    seuil = voix[par_voix[places - 1]]
    gagnantes = [i for i in par_voix if voix[i] > seuil]
    a_la_limite = [i for i in par_voix if voix[i] == seuil]
    a_tirer = places - len(gagnantes)
    if len(a_la_limite) == a_tirer:
        return gagnantes + a_la_limite, []
    tirages = []
    for _ in range(a_tirer):
        tirage = tirer(ETIQUETTE_SIEGE, graine, premier_siege + len(gagnantes), a_la_limite)
        tirages.append(tirage)
        gagnantes.append(tirage.gagnante)
        a_la_limite.remove(tirage.gagnante)
    return gagnantes, tirages


def repartir(listes: Sequence[Liste], sieges: int, *, graine: bytes) -> Repartition:
    """The titular seats of each list (arrêté du 10 août 2009 art. 20, décret 82-451 art. 21).

    1. Quotient électoral ``QE = exprimés / sièges``; each list gets ``⌊voix / QE⌋`` seats,
       never more than it has candidates.
    2. The seats left go one at a time to the highest average ``voix / (sièges + 1)`` among
       the lists that have votes and a candidate left. A tie that decides something goes
       to the most votes, then to the lot drawn from ``graine``.
    3. Seats no list can take stay vacant.

    ``graine`` must be fixed before the count is known (docs/sieges.md): whoever could
    choose it after seeing the votes could choose the winner of a lot."""
    listes = _verifier(listes, sieges, graine)
    exprimes = sum(liste.voix for liste in listes)
    zeros = {liste.identifiant: 0 for liste in listes}
    if sieges == 0 or exprimes == 0:
        return Repartition(
            exprimes=exprimes,
            quotient=None,
            sieges=dict(zeros),
            au_quotient=dict(zeros),
            a_la_moyenne=dict(zeros),
            egalite=None,
            vacants=sieges,
            graine=graine,
        )

    quotient = Fraction(exprimes, sieges)
    au_quotient = {
        liste.identifiant: min(liste.voix // quotient, liste.candidats) for liste in listes
    }
    obtenus = dict(au_quotient)
    a_la_moyenne = dict(zeros)
    voix = {liste.identifiant: liste.voix for liste in listes}
    attribues = sum(obtenus.values())
    egalite = None
    while attribues < sieges:
        # A list with no vote has no average to claim a seat with: a seat it would get
        # could only come from a lot among nobody's choices, so it stays vacant instead.
        moyennes = {
            liste.identifiant: Fraction(liste.voix, obtenus[liste.identifiant] + 1)
            for liste in listes
            if liste.voix and obtenus[liste.identifiant] < liste.candidats
        }
        if not moyennes:
            break
        meilleure = max(moyennes.values())
        ex_aequo = sorted(i for i, moyenne in moyennes.items() if moyenne == meilleure)
        places = sieges - attribues
        if len(ex_aequo) <= places:
            # Each tied list gets one of the next seats whatever the order: nothing to settle.
            gagnantes = sorted(ex_aequo, key=lambda i: (-voix[i], i))
        else:
            gagnantes, tirages = _departager(ex_aequo, places, attribues + 1, voix, graine)
            egalite = Egalite(
                sieges=tuple(range(attribues + 1, sieges + 1)),
                moyenne=meilleure,
                listes=tuple(ex_aequo),
                gagnantes=tuple(gagnantes),
                tirages=tuple(tirages),
            )
        for identifiant in gagnantes:
            obtenus[identifiant] += 1
            a_la_moyenne[identifiant] += 1
        attribues += len(gagnantes)

    return Repartition(
        exprimes=exprimes,
        quotient=quotient,
        sieges=obtenus,
        au_quotient=au_quotient,
        a_la_moyenne=a_la_moyenne,
        egalite=egalite,
        vacants=sieges - attribues,
        graine=graine,
    )


# ---------------------------------------------------------------------------------------
# How a tie is told. The results page, the PV and ``isoloir verify`` all print these very
# sentences, so that a délégué reading any of them reads the same thing. The rule itself,
# which the PV states whether or not a tie occurred, is worded once too.

REGLE_D_EGALITE = (
    "À égalité de moyenne, le siège est attribué à la liste qui a recueilli le plus grand "
    "nombre de voix ; si les listes en cause ont recueilli le même nombre de voix, il est "
    "attribué par tirage au sort."
)


def _enumeration(elements: Sequence[str]) -> str:
    """« A », « A et B », « A, B et C »."""
    if len(elements) < 2:
        return "".join(elements)
    return f"{', '.join(elements[:-1])} et {elements[-1]}"


def _des_listes(noms: Sequence[str]) -> str:
    # « la liste FSU », « les listes FSU et UNSA »: the noun also spares « que UNSA ».
    return f"la liste {noms[0]}" if len(noms) == 1 else f"les listes {_enumeration(noms)}"


def _moyenne(valeur: Fraction) -> str:
    """The average as a French reader writes it: 1 745, 872,5, 333,33 (two decimals at
    most: the tie itself is exact, the figure only tells the reader which average)."""
    centiemes = math.floor(valeur * 100 + Fraction(1, 2))  # rounded half up
    entiers, reste = divmod(centiemes, 100)
    texte = f"{entiers:,}".replace(",", "\xa0")  # grouped as in the PV's figures
    decimales = f"{reste:02d}".rstrip("0")
    return f"{texte},{decimales}" if decimales else texte


def decrire_egalite(egalite: Egalite | None, noms: Mapping[str, str]) -> tuple[str, ...]:
    """The French sentences that tell a tie and how it was settled, seat by seat; none
    without a tie. ``noms`` maps list ids to what a reader knows them by (the sigles), in
    the ballot's order, which the sentences follow; an id it lacks is named by itself.

    The sentences say only what the allocation recorded and the rule it applied (arrêté du
    10 août 2009 art. 20, docs/sieges.md): the most votes, then the lot."""
    if egalite is None:
        return ()
    ordre = {identifiant: rang for rang, identifiant in enumerate(noms)}

    def nommer(identifiants: Sequence[str]) -> list[str]:
        ranges = sorted(identifiants, key=lambda i: (ordre.get(i, len(ordre)), i))
        return [noms.get(i, i) for i in ranges]

    if len(egalite.sieges) == 1:
        en_jeu = f"le siège n° {egalite.sieges[0]}"
        restant = "un seul siège restant à pourvoir"
    else:
        en_jeu = f"les sièges n° {_enumeration([str(n) for n in egalite.sieges])}"
        restant = f"{len(egalite.sieges)} sièges restant à pourvoir"
    phrases = [
        f"Égalité de moyenne pour {en_jeu} : {_des_listes(nommer(egalite.listes))} ont la "
        f"même plus forte moyenne ({_moyenne(egalite.moyenne)}), pour {restant}.",
    ]
    tirages = {t.numero: t for t in egalite.tirages}
    # The seats the votes settled went to lists with more votes than every tied list the
    # votes did not settle (docs/sieges.md, rule 5), whatever their order among themselves.
    aux_voix = [
        g for n, g in zip(egalite.sieges, egalite.gagnantes, strict=True) if n not in tirages
    ]
    devancees = nommer([i for i in egalite.listes if i not in aux_voix])
    for numero, gagnante in zip(egalite.sieges, egalite.gagnantes, strict=True):
        tirage = tirages.get(numero)
        if tirage is None:
            phrases.append(
                f"Siège n° {numero} : attribué à la liste {noms.get(gagnante, gagnante)}, qui a "
                f"recueilli plus de voix que {_des_listes(devancees)}."
            )
        else:
            phrases.append(
                f"Siège n° {numero} : {_des_listes(nommer(tirage.listes))} ont recueilli le "
                "même nombre de voix ; attribué par tirage au sort à la liste "
                f"{noms.get(tirage.gagnante, tirage.gagnante)}."
            )
    return tuple(phrases)


def ordre_de_choix(listes: Sequence[Liste], repartition: Repartition) -> OrdreDeChoix:
    """CAP (décret 82-451 art. 21 as read in regulation.md E02): the lists that won seats
    choose their grades in decreasing order of seats; equal seats, the most votes first;
    equal votes too, the lot, drawn rank by rank from the seed of the allocation.

    Only the order: which grades a list may take is the choosing itself, done by people."""
    listes = _verifier(listes, 0, repartition.graine)
    if {liste.identifiant for liste in listes} != set(repartition.sieges) or (
        sum(liste.voix for liste in listes) != repartition.exprimes
    ):
        raise ValueError("les listes ne sont pas celles de la répartition")

    def rang(liste: Liste) -> tuple[int, int]:
        return (-repartition.sieges[liste.identifiant], -liste.voix)

    elus = sorted((liste for liste in listes if repartition.sieges[liste.identifiant]), key=rang)
    ordre: list[str] = []
    tirages: list[Tirage] = []
    for _, meme_rang in groupby(elus, key=rang):
        groupe = sorted(liste.identifiant for liste in meme_rang)
        while len(groupe) > 1:
            tirage = tirer(ETIQUETTE_ORDRE, repartition.graine, len(ordre) + 1, groupe)
            tirages.append(tirage)
            ordre.append(tirage.gagnante)
            groupe.remove(tirage.gagnante)
        ordre.extend(groupe)
    return OrdreDeChoix(ordre=tuple(ordre), tirages=tuple(tirages))
