"""A scrutin counted for real, for the tests of its results page, its PV and its archive:
the bureau's key ceremony and seal (tests/counting/detenteurs.py), votes cast through the
booth, the closing, decryption shares, the result."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from isoloir.accounts.models import Electeur
from isoloir.booth import depot
from isoloir.core import horloge
from isoloir.counting import ceremonie, depouillement
from isoloir.counting.models import BureauDeVote, Depouillement
from isoloir.crypto import seuil
from isoloir.crypto.groupe import AleaSysteme
from isoloir.elections.models import Candidat, Scrutin
from tests.counting.detenteurs import Detenteur, ceremonie_complete, sceller
from tests.scrutin_de_vote import bulletin_pour

APRES_LA_CLOTURE = timedelta(days=9)


def candidats(scrutin: Scrutin, par_liste: dict[str, list[str]]) -> None:
    """Candidates in rank order, « Nom Prénom » each, for the lists named by sigle."""
    for sigle, noms in par_liste.items():
        liste = scrutin.listes.get(sigle=sigle)
        for rang, nom_complet in enumerate(noms, start=1):
            nom, prenom = nom_complet.split(" ", 1)
            Candidat.objects.create(liste=liste, rang=rang, civilite="Mme", nom=nom, prenoms=prenom)


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
    c, appareils = ceremonie_complete(bureau)
    choix = list(choix)
    votants = [creer_electeur(scrutin) for _ in choix]
    for _ in range(abstentions):
        creer_electeur(scrutin)
    assert sceller(bureau, c, appareils).scelle_le is not None
    for electeur, k in zip(votants, choix, strict=True):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, k))
    return compter(bureau, scrutin, c, appareils, presents=presents)


def compter(
    bureau: BureauDeVote,
    scrutin: Scrutin,
    c: object,
    appareils: dict[str, Detenteur],
    *,
    presents: tuple[str, ...] = ("presidente", "delegue-fsu", "delegue-unsa"),
) -> Depouillement:
    """After the closing: the count opened, the shares of ``presents``, the result."""
    with horloge.decalee_de(APRES_LA_CLOTURE):
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
