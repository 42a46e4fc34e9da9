"""The bureau's key ceremony, server side: open it, relay and publish each holder's
messages, then publish the election key on the bureau's scrutins.

The server never sees a private share: each holder draws their communication key and
their polynomial on their own device, and the shares travel encrypted to their
recipients (docs/protocol-seuil.md). Every message is checked before it is published,
with the public checks anybody can redo.
"""

from typing import Any

from django.db import transaction

from isoloir.audit.services import journaliser
from isoloir.ballotbox.models import Bulletin
from isoloir.booth.models import CleDeScrutin, OrigineCle
from isoloir.core import horloge
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    EtatCeremonie,
    MembreDuBureau,
    MessageDeCeremonie,
    NatureDuMessage,
)
from isoloir.counting.services import problemes_de_composition
from isoloir.crypto import seuil
from isoloir.crypto.groupe import est_point


class CeremonieRefusee(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _scrutins(bureau: BureauDeVote) -> list[int]:
    return list(bureau.rattachements.values_list("scrutin_id", flat=True))


@transaction.atomic
def ouvrir(bureau: BureauDeVote) -> CeremonieDesCles:
    """Open the ceremony of a bureau whose composition is lawful and whose scrutins have
    received no ballot (a key cannot change under ballots already cast)."""
    problemes = problemes_de_composition(bureau)
    if problemes:
        raise CeremonieRefusee("Composition du bureau non conforme : " + " ".join(problemes))
    existante = CeremonieDesCles.objects.filter(bureau=bureau).first()
    if existante is not None and existante.etat != EtatCeremonie.ECHOUEE:
        raise CeremonieRefusee("La cérémonie des clés de ce bureau est déjà ouverte ou close.")
    if Bulletin.objects.filter(scrutin_id__in=_scrutins(bureau)).exists():
        raise CeremonieRefusee(
            "Des bulletins sont déjà dans l'urne : la clé de l'élection ne peut plus changer."
        )
    if existante is not None:
        existante.delete()
    detenteurs = list(
        bureau.membres.filter(detenteur_de_cle=True).order_by("pk").values_list("pk", flat=True)
    )
    ceremonie = CeremonieDesCles.objects.create(
        bureau=bureau,
        etat=EtatCeremonie.CLES_DE_COMMUNICATION,
        detenteurs=detenteurs,
        ouverte_le=horloge.maintenant(),
    )
    journaliser("ceremonie.ouverte", bureau=bureau.pk, detenteurs=len(detenteurs))
    return ceremonie


def indice(ceremonie: CeremonieDesCles, membre: MembreDuBureau) -> int:
    """The holder's index j (1 … n) in the ceremony."""
    try:
        return list(ceremonie.detenteurs).index(membre.pk) + 1
    except ValueError:
        raise CeremonieRefusee("Vous ne détenez pas de clé dans ce bureau.") from None


def _messages(ceremonie: CeremonieDesCles, nature: str) -> dict[int, Any]:
    """Published messages of one step, by holder index."""
    rang = {pk: j for j, pk in enumerate(ceremonie.detenteurs, start=1)}
    return {
        rang[m.membre_id]: m.contenu
        for m in ceremonie.messages.filter(nature=nature).order_by("membre_id")
    }


def identifiant_du_bureau(bureau: BureauDeVote) -> str:
    """What every message of the bureau's ceremony is bound to (and its vault files)."""
    return f"{bureau.campagne.slug}/bureau-{bureau.pk}"


def contexte(ceremonie: CeremonieDesCles) -> seuil.Contexte:
    """What every message of the ceremony is bound to, once every holder's communication
    key is published."""
    cles = _messages(ceremonie, NatureDuMessage.COMMUNICATION)
    n = len(ceremonie.detenteurs)
    if len(cles) != n:
        raise CeremonieRefusee(
            "Tous les détenteurs n'ont pas encore publié leur clé de communication."
        )
    bureau = ceremonie.bureau
    return seuil.Contexte(
        identifiant=identifiant_du_bureau(bureau),
        seuil=bureau.seuil,
        cles_communication=tuple(bytes.fromhex(cles[j]["cle"]) for j in range(1, n + 1)),
    )


def _publier(
    ceremonie: CeremonieDesCles,
    membre: MembreDuBureau,
    nature: str,
    attendu: str,
    contenu: dict[str, Any],
) -> None:
    if ceremonie.etat != attendu:
        raise CeremonieRefusee(f"La cérémonie en est à l'étape « {ceremonie.get_etat_display()} ».")
    if MessageDeCeremonie.objects.filter(
        ceremonie=ceremonie, membre=membre, nature=nature
    ).exists():
        raise CeremonieRefusee("Vous avez déjà publié ce message ; il ne peut pas être remplacé.")
    MessageDeCeremonie.objects.create(
        ceremonie=ceremonie,
        membre=membre,
        nature=nature,
        contenu=contenu,
        publie_le=horloge.maintenant(),
    )
    journaliser(f"ceremonie.{nature}", compte_id=membre.compte_id, bureau=ceremonie.bureau_id)


def _verrouiller(ceremonie: CeremonieDesCles) -> CeremonieDesCles:
    return CeremonieDesCles.objects.select_for_update().get(pk=ceremonie.pk)


@transaction.atomic
def publier_cle_de_communication(
    ceremonie: CeremonieDesCles, membre: MembreDuBureau, cle: bytes
) -> None:
    ceremonie = _verrouiller(ceremonie)
    indice(ceremonie, membre)
    if not est_point(cle):
        raise CeremonieRefusee("Cette clé de communication n'est pas une clé valide.")
    if any(
        m["cle"] == cle.hex() for m in _messages(ceremonie, NatureDuMessage.COMMUNICATION).values()
    ):
        raise CeremonieRefusee("Cette clé de communication est déjà celle d'un autre détenteur.")
    _publier(
        ceremonie,
        membre,
        NatureDuMessage.COMMUNICATION,
        EtatCeremonie.CLES_DE_COMMUNICATION,
        {"cle": cle.hex()},
    )
    _avancer_si_complet(ceremonie, NatureDuMessage.COMMUNICATION, EtatCeremonie.DISTRIBUTION)


@transaction.atomic
def publier_distribution(
    ceremonie: CeremonieDesCles, membre: MembreDuBureau, donnees: dict[str, Any]
) -> None:
    ceremonie = _verrouiller(ceremonie)
    j = indice(ceremonie, membre)
    try:
        distribution = seuil.Distribution.depuis_dict(donnees)
    except seuil.ErreurSeuil as erreur:
        raise CeremonieRefusee("Distribution illisible.") from erreur
    if distribution.detenteur != j:
        raise CeremonieRefusee("Cette distribution est celle d'un autre détenteur.")
    if not seuil.verifier_distribution(contexte(ceremonie), distribution):
        raise CeremonieRefusee(
            "Distribution refusée : ses engagements ou sa preuve ne se vérifient pas."
        )
    _publier(
        ceremonie,
        membre,
        NatureDuMessage.DISTRIBUTION,
        EtatCeremonie.DISTRIBUTION,
        distribution.vers_dict(),
    )
    _avancer_si_complet(ceremonie, NatureDuMessage.DISTRIBUTION, EtatCeremonie.RECEPTION)


def distributions(ceremonie: CeremonieDesCles) -> list[seuil.Distribution]:
    return [
        seuil.Distribution.depuis_dict(d)
        for _, d in sorted(_messages(ceremonie, NatureDuMessage.DISTRIBUTION).items())
    ]


@transaction.atomic
def publier_reception(
    ceremonie: CeremonieDesCles, membre: MembreDuBureau, plaintes: list[dict[str, Any]]
) -> None:
    """The holder has checked the shares addressed to them; ``plaintes`` names the dealers
    whose share was wrong (with the proof anybody can check). Empty: all were good."""
    ceremonie = _verrouiller(ceremonie)
    j = indice(ceremonie, membre)
    try:
        lues = [seuil.Plainte.depuis_dict(p) for p in plaintes]
    except seuil.ErreurSeuil as erreur:
        raise CeremonieRefusee("Plainte illisible.") from erreur
    if any(p.plaignant != j for p in lues):
        raise CeremonieRefusee("Une plainte n'est pas la vôtre.")
    _publier(
        ceremonie,
        membre,
        NatureDuMessage.RECEPTION,
        EtatCeremonie.RECEPTION,
        {"plaintes": [p.vers_dict() for p in lues]},
    )
    if len(_messages(ceremonie, NatureDuMessage.RECEPTION)) == len(ceremonie.detenteurs):
        _clore(ceremonie)


def _avancer_si_complet(ceremonie: CeremonieDesCles, nature: str, suivant: str) -> None:
    if len(_messages(ceremonie, nature)) == len(ceremonie.detenteurs):
        ceremonie.etat = suivant
        ceremonie.save(update_fields=["etat"])


def _clore(ceremonie: CeremonieDesCles) -> None:
    """Every holder has spoken: the key follows from the qualified dealers, and goes on
    every scrutin of the bureau."""
    plaintes = [
        seuil.Plainte.depuis_dict(p)
        for m in _messages(ceremonie, NatureDuMessage.RECEPTION).values()
        for p in m["plaintes"]
    ]
    try:
        cle = seuil.etablir_cle(contexte(ceremonie), distributions(ceremonie), plaintes)
    except seuil.ErreurSeuil as erreur:
        ceremonie.etat = EtatCeremonie.ECHOUEE
        ceremonie.motif_d_echec = (
            "Trop de détenteurs écartés par des plaintes fondées : moins de détenteurs "
            "qualifiés que le seuil. Recommencez la cérémonie."
        )
        ceremonie.save(update_fields=["etat", "motif_d_echec"])
        journaliser("ceremonie.echouee", bureau=ceremonie.bureau_id, motif=str(erreur))
        return
    ceremonie.etat = EtatCeremonie.CLOSE
    ceremonie.close_le = horloge.maintenant()
    ceremonie.cle = cle.vers_dict()
    ceremonie.empreinte = cle.empreinte.hex()
    ceremonie.save(update_fields=["etat", "close_le", "cle", "empreinte"])
    for scrutin_id in _scrutins(ceremonie.bureau):
        CleDeScrutin.objects.update_or_create(
            scrutin_id=scrutin_id,
            defaults={
                "cle_publique": cle.cle_publique.hex(),
                "origine": OrigineCle.CEREMONIE,
                "publiee_le": horloge.maintenant(),
            },
        )
    journaliser(
        "ceremonie.close",
        bureau=ceremonie.bureau_id,
        empreinte=ceremonie.empreinte,
        qualifies=list(cle.qualifies),
    )


def cle_du_bureau(ceremonie: CeremonieDesCles) -> seuil.CleSeuil:
    if ceremonie.etat != EtatCeremonie.CLOSE or ceremonie.cle is None:
        raise CeremonieRefusee("La clé de ce bureau n'est pas encore établie.")
    return seuil.CleSeuil.depuis_dict(ceremonie.cle)
