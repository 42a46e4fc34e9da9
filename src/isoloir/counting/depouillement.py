"""The count (dépouillement) of a scrutin, after its closing.

The server adds the valid ballots up, choice by choice, without decrypting anything; the
key holders present each publish a decryption share with its proof; t valid shares, the
président and two délégués among them (A17), give the votes of each choice. The number of
ballots must equal the number of émargements (A18). Everything is recomputed from the
published data, so the count can be run again and gives the same result (art. 14-III).
"""

import hashlib
import json
from typing import Any

from django.db import transaction

from isoloir import sieges
from isoloir.audit.services import journaliser
from isoloir.ballotbox import services as urne
from isoloir.booth.cles import manifeste_du_scrutin
from isoloir.booth.models import Emargement, OrigineCle
from isoloir.core import horloge
from isoloir.counting import cloture, scellement
from isoloir.counting.ceremonie import CeremonieRefusee, cle_du_bureau, indice
from isoloir.counting.models import (
    CeremonieDesCles,
    Depouillement,
    MembreDuBureau,
    PartDeDepouillement,
)
from isoloir.counting.services import presents_suffisent
from isoloir.crypto import seuil
from isoloir.crypto.bulletin import BulletinInvalide, verifier_bulletin
from isoloir.crypto.elgamal import Chiffre, somme_des_choix
from isoloir.elections.models import Scrutin
from isoloir.elections.selectors import Phase, fenetre_du_scrutin


class DepouillementRefuse(CeremonieRefusee):
    pass


def _ceremonie(scrutin: Scrutin) -> CeremonieDesCles:
    ceremonie = (
        CeremonieDesCles.objects.filter(bureau__rattachements__scrutin=scrutin)
        .select_related("bureau")
        .first()
    )
    if ceremonie is None:
        raise DepouillementRefuse("Ce scrutin n'a pas de bureau de vote avec une clé établie.")
    return ceremonie


def _chiffres(depouillement: Depouillement) -> list[Chiffre]:
    return [
        Chiffre(alpha=bytes.fromhex(c["alpha"]), beta=bytes.fromhex(c["beta"]))
        for c in depouillement.sommes
    ]


@transaction.atomic
def ouvrir(scrutin: Scrutin) -> Depouillement:
    """After the closing: the urne and the émargement checked against the closing's
    fingerprints (the closing is made now if it was not), every ballot checked again
    against the manifest, then summed choice by choice. Refused if ballots and
    émargements differ."""
    if fenetre_du_scrutin(scrutin).phase() is not Phase.CLOS:
        raise DepouillementRefuse("Le dépouillement ne s'ouvre qu'après la clôture du scrutin.")
    try:
        faite = cloture.clore(scrutin)
    except cloture.ClotureRefusee as refus:
        raise DepouillementRefuse(refus.message) from None
    ecarts = cloture.verifier(faite)
    if ecarts:
        raise DepouillementRefuse(
            " ".join(ecarts) + " Le dépouillement est arrêté ; consignez l'incident au "
            "procès-verbal."
        )
    if Depouillement.objects.filter(scrutin=scrutin).exists():
        raise DepouillementRefuse("Le dépouillement de ce scrutin est déjà ouvert.")
    # The seal is checked again before anything is counted (docs/scellement.md).
    ecarts_du_scellement = scellement.verifier(scrutin)
    if ecarts_du_scellement:
        raise DepouillementRefuse(
            "Scellement rompu ou absent : "
            + " ".join(ecarts_du_scellement)
            + " Le dépouillement est arrêté ; consignez l'incident au procès-verbal."
        )
    ceremonie = _ceremonie(scrutin)
    cle = cle_du_bureau(ceremonie)
    manifeste = manifeste_du_scrutin(scrutin)
    if manifeste is None or manifeste.origine_cle != OrigineCle.CEREMONIE:
        raise DepouillementRefuse("La clé de ce scrutin ne vient pas de la cérémonie du bureau.")
    if manifeste.cle_publique != cle.cle_publique:
        raise DepouillementRefuse("La clé du scrutin n'est pas celle du bureau.")
    par_choix: list[list[Chiffre]] = [[] for _ in manifeste.choix]
    bulletins = 0
    for traceur, contenu in urne.bulletins(scrutin.pk):
        try:
            verifie = verifier_bulletin(contenu, manifeste)
        except BulletinInvalide as erreur:
            raise DepouillementRefuse(
                f"Le bulletin {traceur} ne se vérifie plus ({erreur.code}) : l'urne a été "
                "altérée. Le dépouillement est arrêté ; consignez l'incident au procès-verbal."
            ) from erreur
        for k, chiffre in enumerate(verifie.chiffres):
            par_choix[k].append(chiffre)
        bulletins += 1
    emargements = Emargement.objects.filter(inscription__scrutin=scrutin).count()
    if bulletins != emargements:
        raise DepouillementRefuse(
            f"L'urne contient {bulletins} bulletins pour {emargements} émargements : le "
            "dépouillement est arrêté ; consignez l'incident au procès-verbal."
        )
    sommes = [
        {"alpha": s.alpha.hex(), "beta": s.beta.hex()}
        for s in (somme_des_choix(chiffres) for chiffres in par_choix)
    ]
    graine = hashlib.sha256(
        json.dumps([ceremonie.empreinte, sommes], sort_keys=True).encode()
    ).hexdigest()
    depouillement = Depouillement.objects.create(
        scrutin=scrutin,
        bulletins=bulletins,
        emargements=emargements,
        sommes=sommes,
        graine=graine,
        ouvert_le=horloge.maintenant(),
    )
    journaliser("depouillement.ouvert", scrutin=scrutin.pk, bulletins=bulletins)
    return depouillement


def _verrouiller(depouillement: Depouillement) -> Depouillement:
    """The count's row, locked: two holders publishing at once, or a share racing the
    computation, are taken one after the other."""
    verrouille = Depouillement.objects.select_for_update().get(pk=depouillement.pk)
    if verrouille.resultat is not None:
        raise DepouillementRefuse("Le résultat de ce scrutin est déjà calculé et publié.")
    return verrouille


@transaction.atomic
def publier_part(
    depouillement: Depouillement, membre: MembreDuBureau, donnees: dict[str, Any]
) -> None:
    """A key holder's decryption share of the sums, checked with its proof. Refused once
    the result is computed: the result names the shares it was computed from."""
    depouillement = _verrouiller(depouillement)
    ceremonie = _ceremonie(depouillement.scrutin)
    j = indice(ceremonie, membre)
    try:
        part = seuil.PartDechiffrement.depuis_dict(donnees)
    except seuil.ErreurSeuil as erreur:
        raise DepouillementRefuse("Part de déchiffrement illisible.") from erreur
    if part.detenteur != j:
        raise DepouillementRefuse("Cette part de déchiffrement est celle d'un autre détenteur.")
    if not seuil.verifier_part_dechiffrement(
        cle_du_bureau(ceremonie), _chiffres(depouillement), part
    ):
        raise DepouillementRefuse("Part refusée : sa preuve ne se vérifie pas.")
    if PartDeDepouillement.objects.filter(depouillement=depouillement, membre=membre).exists():
        raise DepouillementRefuse("Vous avez déjà publié votre part.")
    PartDeDepouillement.objects.create(
        depouillement=depouillement,
        membre=membre,
        contenu=part.vers_dict(),
        publiee_le=horloge.maintenant(),
    )
    journaliser("depouillement.part", compte_id=membre.compte_id, scrutin=depouillement.scrutin_id)


@transaction.atomic
def calculer(depouillement: Depouillement) -> dict[str, Any]:
    """The result from the shares published so far; refused without the threshold, the
    président and two délégués. Computed once: the minutes and the public archive stand
    on it (``recalculer`` redoes it from the published data, without writing)."""
    depouillement = _verrouiller(depouillement)
    resultat = recalculer(depouillement)
    depouillement.resultat = resultat
    depouillement.calcule_le = horloge.maintenant()
    depouillement.save(update_fields=["resultat", "calcule_le"])
    journaliser("depouillement.calcule", scrutin=depouillement.scrutin_id)
    return resultat


def recalculer(depouillement: Depouillement) -> dict[str, Any]:
    """The result the published shares give, computed again and written nowhere: a
    re-run of the count (art. 14-III) gives what was published."""
    scrutin = depouillement.scrutin
    ceremonie = _ceremonie(scrutin)
    parts = list(depouillement.parts.select_related("membre"))
    manque = presents_suffisent(ceremonie.bureau, presents=[p.membre for p in parts])
    if manque:
        raise DepouillementRefuse("Dépouillement impossible : " + " ".join(manque))
    listes = list(scrutin.listes.order_by("ordre").prefetch_related("candidats"))
    decomptes = seuil.combiner(
        cle_du_bureau(ceremonie),
        _chiffres(depouillement),
        [seuil.PartDechiffrement.depuis_dict(p.contenu) for p in parts],
        depouillement.bulletins,
    )
    if sum(decomptes) != depouillement.bulletins:
        raise DepouillementRefuse("Les voix déchiffrées ne font pas le nombre de bulletins.")
    blancs, voix = decomptes[0], decomptes[1:]
    repartition = sieges.repartir(
        [
            sieges.Liste(identifiant=str(liste.pk), voix=v, candidats=liste.candidats.count())
            for liste, v in zip(listes, voix, strict=True)
        ],
        scrutin.sieges_titulaires,
        graine=bytes.fromhex(depouillement.graine),
    )
    resultat = {
        "inscrits": scrutin.inscriptions.count(),
        "votants": depouillement.emargements,
        "blancs": blancs,
        "exprimes": sum(voix),
        "listes": [
            {
                "id": liste.pk,
                "sigle": liste.sigle,
                "voix": v,
                "sieges": repartition.sieges[str(liste.pk)],
            }
            for liste, v in zip(listes, voix, strict=True)
        ],
        "vacants": repartition.vacants,
        "tirage_au_sort": repartition.egalite is not None
        and repartition.egalite.departage == "tirage",
        "detenteurs": sorted(p.contenu["detenteur"] for p in parts),
    }
    return resultat
