"""A scrutin counted for real, for the tests of its results page and its PV: the bureau's
key ceremony played by the pure protocol code (each holder's device), votes cast through
the booth, the closing, decryption shares, the result."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from isoloir.accounts.models import Electeur
from isoloir.booth import depot
from isoloir.core import clock
from isoloir.counting import ceremonie, depouillement, scellement
from isoloir.counting.models import (
    BureauDeVote,
    Depouillement,
    EtatCeremonie,
    MembreDuBureau,
)
from isoloir.crypto import seuil
from isoloir.crypto.groupe import AleaSysteme
from isoloir.elections.models import Candidat, Scrutin
from tests.scrutin_de_vote import bulletin_pour

APRES_LA_CLOTURE = timedelta(days=9)
AVANT_L_OUVERTURE = timedelta(hours=-2)


class Appareil:
    """A key holder's device: keeps its secrets, publishes only what the protocol says."""

    def __init__(self, membre: MembreDuBureau) -> None:
        self.membre = membre
        self.z, self.cle_communication = seuil.generer_cle_communication(AleaSysteme())
        self.x: bytes | None = None


def ceremonie_complete(bureau: BureauDeVote) -> dict[str, Appareil]:
    """The whole ceremony; the holders by the local part of their e-mail."""
    c = ceremonie.ouvrir(bureau)
    appareils = {
        m.compte.email.split("@")[0]: Appareil(m)
        for m in bureau.membres.filter(detenteur_de_cle=True).select_related("compte")
    }
    for a in appareils.values():
        ceremonie.publier_cle_de_communication(c, a.membre, a.cle_communication)
    c.refresh_from_db()
    contexte = ceremonie.contexte(c)
    for a in appareils.values():
        distribution = seuil.distribuer(contexte, ceremonie.indice(c, a.membre), AleaSysteme())
        ceremonie.publier_distribution(c, a.membre, distribution.vers_dict())
    c.refresh_from_db()
    receptions = {}
    for nom, a in appareils.items():
        j = ceremonie.indice(c, a.membre)
        receptions[nom] = seuil.recevoir(
            contexte, j, a.z, ceremonie.distributions(c), AleaSysteme()
        )
        ceremonie.publier_reception(c, a.membre, [p.vers_dict() for p in receptions[nom].plaintes])
    c.refresh_from_db()
    assert c.etat == EtatCeremonie.CLOSE
    cle = ceremonie.cle_du_bureau(c)
    for nom, a in appareils.items():
        a.x = seuil.cle_de_detenteur(cle, receptions[nom])
    return appareils


def candidats(scrutin: Scrutin, par_liste: dict[str, list[str]]) -> None:
    """Candidates in rank order, « Nom Prénom » each, for the lists named by sigle."""
    for sigle, noms in par_liste.items():
        liste = scrutin.listes.get(sigle=sigle)
        for rang, nom_complet in enumerate(noms, start=1):
            nom, prenom = nom_complet.split(" ", 1)
            Candidat.objects.create(liste=liste, rang=rang, civilite="Mme", nom=nom, prenoms=prenom)


def sceller(bureau: BureauDeVote, appareils: dict[str, Appareil]) -> None:
    """The président and the FSU délégué seal the bureau, as if before the vote opened
    (the scrutin fixture's vote opened an hour ago)."""
    c = bureau.ceremonie
    cle = ceremonie.cle_du_bureau(c)
    with clock.shifted_by(AVANT_L_OUVERTURE):
        proposition = scellement.proposer(bureau)
        for nom in ("presidente", "delegue-fsu"):
            a = appareils[nom]
            assert a.x is not None
            j = ceremonie.indice(c, a.membre)
            signature = seuil.signer_scellement(
                cle, j, a.x, bytes.fromhex(proposition.empreinte), AleaSysteme()
            )
            scellement.signer(bureau, a.membre, signature.vers_dict())
    assert scellement.verifier(bureau) == []


def depouiller(
    bureau: BureauDeVote,
    scrutin: Scrutin,
    creer_electeur: Callable[..., Electeur],
    choix: Iterable[int],
    *,
    abstentions: int = 0,
    presents: tuple[str, ...] = ("presidente", "delegue-fsu", "delegue-unsa"),
) -> Depouillement:
    """Ceremony, the roll (one voter per choice, ``abstentions`` more who do not vote),
    the seal, the votes (0 is blank, k the k-th list), closing, shares of ``presents``,
    result. Returns the count, its result computed; the clock is back to now."""
    appareils = ceremonie_complete(bureau)
    choix = list(choix)
    votants = [creer_electeur(scrutin) for _ in choix]
    for _ in range(abstentions):
        creer_electeur(scrutin)
    sceller(bureau, appareils)
    for electeur, k in zip(votants, choix, strict=True):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, k))
    c = bureau.ceremonie
    with clock.shifted_by(APRES_LA_CLOTURE):
        d = depouillement.ouvrir(scrutin)
        cle = ceremonie.cle_du_bureau(c)
        chiffres = depouillement._chiffres(d)
        for nom in presents:
            a = appareils[nom]
            j = ceremonie.indice(c, a.membre)
            assert a.x is not None
            part = seuil.dechiffrer_partiellement(cle, j, a.x, chiffres, AleaSysteme())
            depouillement.publier_part(d, a.membre, part.vers_dict())
        depouillement.calculer(d)
    d.refresh_from_db()
    return d
