"""Comparing the file's rows with the campaign's roll, batch by batch.

The check and the application classify each row with the same function, so that the dry
run announces exactly what the application then does.
"""

import hashlib
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from isoloir.accounts.models import CHAMPS_D_IDENTITE, Electeur
from isoloir.elections.import_liste.lecture import Ligne
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.inscriptions_decidees import Decision, decisions_qui_ont_inscrit
from isoloir.elections.models import Inscription, Scrutin

LIBELLES_CHAMPS = {
    "civilite": "civilité",
    "nom_naissance": "nom de naissance",
    "nom_usage": "nom d'usage",
    "prenoms": "prénoms",
    "date_naissance": "date de naissance",
    "commune_naissance": "commune de naissance",
    "pays_naissance": "pays de naissance",
    "etablissement": "établissement",
    "email": "adresse électronique",
    "scrutins": "scrutins",
}


@dataclass
class EtatDuLot:
    """The voters a batch of rows names, as the database holds them now."""

    electeurs: dict[str, Electeur]  # by NUMEN hash, with their account
    inscriptions: dict[int, dict[int, int]]  # voter -> this campaign's scrutin -> inscription


def etat_du_lot(lignes: Iterable[Ligne], scrutin_ids: Iterable[int]) -> EtatDuLot:
    electeurs = {
        e.numen_empreinte: e
        for e in Electeur.objects.select_related("compte").filter(
            numen_empreinte__in=[ligne.empreinte for ligne in lignes]
        )
    }
    inscriptions: dict[int, dict[int, int]] = {e.pk: {} for e in electeurs.values()}
    for pk, electeur_id, scrutin_id in inscriptions_des_electeurs(inscriptions, scrutin_ids):
        inscriptions[electeur_id][scrutin_id] = pk
    return EtatDuLot(electeurs, inscriptions)


def inscriptions_des_electeurs(
    electeur_ids: Iterable[int], scrutin_ids: Iterable[int]
) -> list[tuple[int, int, int]]:
    """(pk, voter, scrutin) of these voters' inscriptions to these scrutins.

    Looked up by voter only, the scrutins kept in Python: a voter has a handful of
    inscriptions, while a filter on the campaign's 600 scrutins leads SQLite to walk the
    scrutin index, that is the whole roll, for each batch.
    """
    retenus = set(scrutin_ids)
    return [
        rang
        for rang in Inscription.objects.filter(electeur_id__in=list(electeur_ids)).values_list(
            "pk", "electeur_id", "scrutin_id"
        )
        if rang[2] in retenus
    ]


@dataclass
class Difference:
    """What changes for one row's voter."""

    categorie: str  # ajoutes, modifies or inchanges
    champs: list[str] = field(default_factory=list)  # identity fields and "email"
    ajouts: set[int] = field(default_factory=set)  # scrutins
    retraits: dict[int, int] = field(default_factory=dict)  # scrutin -> inscription


def difference(
    ligne: Ligne,
    electeur: Electeur | None,
    actuelles: dict[int, int],
    gardees: AbstractSet[int] = frozenset(),
) -> Difference:
    """``gardees``: inscriptions the file does not list that the application keeps all
    the same (added by an accepted claim, and the administrator chose to keep them)."""
    if electeur is None:
        return Difference("ajoutes", ajouts=set(ligne.scrutin_ids))
    champs = [k for k, v in ligne.identite.items() if getattr(electeur, k) != v]
    if electeur.compte.email != ligne.email:
        champs.append("email")
    ajouts = set(ligne.scrutin_ids - actuelles.keys())
    retraits = {
        s: pk for s, pk in actuelles.items() if s not in ligne.scrutin_ids and pk not in gardees
    }
    if not actuelles:
        categorie = "ajoutes"
    elif champs or ajouts or retraits:
        categorie = "modifies"
    else:
        categorie = "inchanges"
    return Difference(categorie, champs, ajouts, retraits)


def noter(
    rapport: RapportImport, ligne: Ligne, diff: Difference, codes: dict[int, str], *, cree: bool
) -> None:
    """Count the row's difference in the report, with an example row for the pages."""
    champs = [LIBELLES_CHAMPS[c] for c in diff.champs]
    if diff.ajouts or diff.retraits:
        champs.append(LIBELLES_CHAMPS["scrutins"])
    rapport.noter(
        diff.categorie,
        {
            "ligne": ligne.numero,
            "nom": ligne.identite["nom_usage"] or ligne.identite["nom_naissance"],
            "prenoms": ligne.identite["prenoms"],
            "etablissement": ligne.identite["etablissement"],
            "champs": champs if diff.categorie == "modifies" else [],
            "ajouts": sorted(codes[s] for s in diff.ajouts),
            "retraits": sorted(codes[s] for s in diff.retraits),
        },
    )
    if cree:
        rapport.electeurs_crees += 1
    for c in diff.champs:
        rapport.champs_modifies[LIBELLES_CHAMPS[c]] = (
            rapport.champs_modifies.get(LIBELLES_CHAMPS[c], 0) + 1
        )
    for s in diff.ajouts:
        rapport.inscriptions(codes[s], ajoutees=1)
    for s in diff.retraits:
        rapport.inscriptions(codes[s], retirees=1)


def exemple_de_retrait(electeur: Electeur, retraits: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "ligne": None,
        "nom": electeur.nom,
        "prenoms": electeur.prenoms,
        "etablissement": electeur.etablissement,
        "champs": [],
        "ajouts": [],
        "retraits": sorted(retraits),
    }


@dataclass(frozen=True)
class InscriptionReclamee:
    electeur_id: int
    scrutin_id: int
    reclamation: Decision


def inscriptions_reclamees(scrutin_ids: Iterable[int]) -> dict[int, InscriptionReclamee]:
    """The campaign's inscriptions, by pk, that an accepted claim added (or put back) and
    that no roll file has listed since.

    HR's files know nothing of a claim: the next one would silently undo the decision.
    The line the claim created carries no import (``import_liste`` is empty) until a file
    lists it; from then on HR knows of it, and a later file without it is HR's decision,
    an ordinary removal. A kept line is not marked by the import that keeps it, so that
    the next file warns again.
    """
    reclamations = decisions_qui_ont_inscrit(scrutin_ids)
    if not reclamations:
        return {}
    rangs = Inscription.objects.filter(
        electeur_id__in={electeur for electeur, _ in reclamations},
        scrutin_id__in={scrutin for _, scrutin in reclamations},
        import_liste_id__isnull=True,
    ).values_list("pk", "electeur_id", "scrutin_id")
    return {
        pk: InscriptionReclamee(electeur_id, scrutin_id, reclamations[(electeur_id, scrutin_id)])
        for pk, electeur_id, scrutin_id in rangs
        if (electeur_id, scrutin_id) in reclamations
    }


def retraits_reclames(
    retirees: Iterable[int], reclamees: dict[int, InscriptionReclamee], scrutins: dict[int, str]
) -> list[dict[str, Any]]:
    """What the check shows of the claimed inscriptions the file would remove: who, which
    scrutin, which claim; never a NUMEN. Sorted by name for the page."""
    choisies = {pk: reclamees[pk] for pk in retirees}
    electeurs = Electeur.objects.in_bulk({r.electeur_id for r in choisies.values()})
    intitules = dict(
        Scrutin.objects.filter(pk__in={r.scrutin_id for r in choisies.values()}).values_list(
            "pk", "intitule"
        )
    )
    lignes = []
    for pk, reclamee in choisies.items():
        electeur = electeurs[reclamee.electeur_id]
        reclamation = reclamee.reclamation
        lignes.append(
            {
                "inscription": pk,
                "nom": electeur.nom,
                "prenoms": electeur.prenoms,
                "etablissement": electeur.etablissement,
                "scrutin": scrutins[reclamee.scrutin_id],
                "intitule": intitules[reclamee.scrutin_id],
                "reclamation_id": reclamation.pk,
                "reclamation": reclamation.reference,
                "decidee_le": reclamation.decide_le.isoformat(),
            }
        )
    return sorted(lignes, key=lambda r: (r["nom"], r["prenoms"], r["scrutin"], r["inscription"]))


def empreinte_de_la_liste(scrutin_ids: Iterable[int]) -> str:
    """A SHA-256 of the campaign's roll as an import reads it: its inscriptions and their
    voters' identity and e-mail. Taken before a check reads the file and again before
    the application writes: if they differ, someone changed the roll in between and the
    check no longer says what the application would do."""
    empreinte = hashlib.sha256()
    rangs = (
        Inscription.objects.filter(scrutin_id__in=list(scrutin_ids))
        .order_by("pk")
        .values_list(
            "pk",
            "electeur_id",
            "scrutin_id",
            "electeur__numen_empreinte",
            "electeur__compte__email",
            *(f"electeur__{champ}" for champ in CHAMPS_D_IDENTITE),
        )
    )
    for rang in rangs.iterator(chunk_size=5000):
        empreinte.update(repr(rang).encode())
    return empreinte.hexdigest()
