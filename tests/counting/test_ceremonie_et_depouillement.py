"""The whole life of a bureau's key, server side, with the holders played by the pure
protocol code as their devices would run it: ceremony (no dealer) → key on the scrutin →
seal signed by the président and a délégué before the opening → encrypted votes →
closing → seal checked → decryption shares → result and seats. Exactly t holders with
the président and two délégués count; fewer are refused; a re-run agrees."""

from datetime import timedelta

import pytest
from django.urls import reverse

from isoloir.booth import depot
from isoloir.booth.models import CleDeScrutin
from isoloir.core import horloge
from isoloir.counting import ceremonie, depouillement, scellement
from isoloir.counting.models import Role
from isoloir.crypto import seuil
from isoloir.crypto.groupe import AleaSysteme
from tests.counting.detenteurs import (
    Detenteur,
    ceremonie_complete,
    sceller,
)
from tests.pdf import texte_du_pdf
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


def _pret_a_voter(bureau) -> tuple[object, dict[str, Detenteur]]:
    """Ceremony, then the seal: the scrutin takes ballots."""
    c, detenteurs = ceremonie_complete(bureau)
    s = sceller(bureau, c, detenteurs)
    assert s.scelle_le is not None
    return c, detenteurs


def test_ceremonie_vote_et_depouillement(client, bureau, scrutin, creer_electeur, tmp_path) -> None:
    # 9 voters on the roll before it is sealed: blank ×1, FSU ×4, UNSA ×3, FO ×1.
    choix = [0, 1, 1, 1, 1, 2, 2, 2, 3]
    electeurs = [creer_electeur(scrutin, active=True) for _ in choix]
    c, detenteurs = ceremonie_complete(bureau)
    cle_du_scrutin = CleDeScrutin.objects.get(scrutin=scrutin)
    assert cle_du_scrutin.origine == "ceremonie"
    assert cle_du_scrutin.cle_publique == ceremonie.cle_du_bureau(c).cle_publique.hex()

    # Not sealed yet: the ceremony's key takes no ballot.
    with pytest.raises(depot.ScrutinNonPret, match="pas encore scellé"):
        depot.voter(electeur=electeurs[0], scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    s = sceller(bureau, c, detenteurs)
    assert s.scelle_le is not None and scellement.verifier(scrutin) == []

    for electeur, k in zip(electeurs, choix, strict=True):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, k))

    with pytest.raises(depouillement.DepouillementRefuse, match="après la clôture"):
        depouillement.ouvrir(scrutin)
    with horloge.decalee_de(timedelta(days=9)):
        d = depouillement.ouvrir(scrutin)
        assert d.bulletins == d.emargements == 9
        cle = ceremonie.cle_du_bureau(c)
        chiffres = depouillement._chiffres(d)

        def part_de(nom: str) -> None:
            h = detenteurs[nom]
            j = ceremonie.indice(c, h.membre)
            part = seuil.dechiffrer_partiellement(cle, j, h.x, chiffres, AleaSysteme())
            depouillement.publier_part(d, h.membre, part.vers_dict())

        part_de("presidente")
        part_de("delegue-fsu")
        with pytest.raises(depouillement.DepouillementRefuse, match="2 détenteur"):
            depouillement.calculer(d)  # t − 1 shares
        part_de("delegue-unsa")
        resultat = depouillement.calculer(d)  # exactly t, président + 2 délégués
        assert resultat["blancs"] == 1
        assert resultat["exprimes"] == 8
        assert [(r["sigle"], r["voix"]) for r in resultat["listes"]] == [
            ("FSU", 4),
            ("UNSA", 3),
            ("FO", 1),
        ]
        assert resultat["votants"] == 9 and resultat["detenteurs"] == [1, 2, 3]
        # The count can be run again (art. 14-III): same result.
        assert depouillement.recalculer(d) == resultat
        with pytest.raises(depouillement.DepouillementRefuse, match="déjà calculé"):
            depouillement.calculer(d)
        # A share sent after the result (a tab left open) would no longer match it.
        with pytest.raises(depouillement.DepouillementRefuse, match="déjà calculé"):
            part_de("delegue-fo")

    page = client.get(reverse("counting:resultats", args=[scrutin.campagne.slug, scrutin.code]))
    texte = page.content.decode()
    assert page.status_code == 200
    for attendu in ("<td>9 (100,00 %)</td>", "<td>1</td>", "<td>8</td>", "FSU", "UNSA", "FO"):
        assert attendu in texte.replace("100.00", "100,00"), attendu
    _verifier_le_proces_verbal(client, scrutin, tmp_path)


def _verifier_le_proces_verbal(client, scrutin, tmp_path) -> None:
    reponse = client.get(
        reverse("counting:proces_verbal", args=[scrutin.campagne.slug, scrutin.code])
    )
    assert reponse["Content-Type"] == "application/pdf"
    texte = texte_du_pdf(reponse.content, tmp_path)
    for attendu in (
        "Procès-verbal des opérations de dépouillement",
        "Inscrits : 9",
        "Votes blancs : 1",
        "Suffrages exprimés : 8",
        "FSU : 4 voix",
        "Bulletins dans l'urne : 9 ; émargements : 9 (égaux)",
        "Signatures des membres du bureau de vote",
        "président :",
    ):
        assert attendu in texte, attendu


def test_une_part_fausse_est_refusee(bureau, scrutin, creer_electeur) -> None:
    electeur = creer_electeur(scrutin, active=True)
    c, detenteurs = _pret_a_voter(bureau)
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    with horloge.decalee_de(timedelta(days=9)):
        d = depouillement.ouvrir(scrutin)
        h = detenteurs["delegue-fo"]
        autre = detenteurs["delegue-fsu"]
        j = ceremonie.indice(c, h.membre)
        # A share made with another holder's secret does not match this holder's key.
        fausse = seuil.dechiffrer_partiellement(
            ceremonie.cle_du_bureau(c),
            ceremonie.indice(c, autre.membre),
            autre.x,
            depouillement._chiffres(d),
            AleaSysteme(),
        ).vers_dict()
        fausse["detenteur"] = j
        with pytest.raises(depouillement.DepouillementRefuse, match="preuve"):
            depouillement.publier_part(d, h.membre, fausse)


def test_une_ceremonie_exige_un_bureau_conforme_et_une_urne_vide(
    bureau,
    scrutin,
    electeur,
) -> None:
    bureau.membres.filter(role=Role.PRESIDENT).update(detenteur_de_cle=False)
    with pytest.raises(ceremonie.CeremonieRefusee, match="Le président doit détenir une clé"):
        ceremonie.ouvrir(bureau)
    bureau.membres.filter(role=Role.PRESIDENT).update(detenteur_de_cle=True)
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    with pytest.raises(ceremonie.CeremonieRefusee, match="Des bulletins sont déjà dans l'urne"):
        ceremonie.ouvrir(bureau)


def test_une_distribution_falsifiee_n_est_pas_publiee(bureau) -> None:
    c = ceremonie.ouvrir(bureau)
    detenteurs = [Detenteur(m) for m in bureau.membres.filter(detenteur_de_cle=True)]
    for d in detenteurs:
        ceremonie.publier_cle_de_communication(c, d.membre, d.cle_communication)
    c.refresh_from_db()
    premier = detenteurs[0]
    distribution = seuil.distribuer(
        ceremonie.contexte(c), ceremonie.indice(c, premier.membre), AleaSysteme()
    ).vers_dict()
    distribution["engagements"][0], distribution["engagements"][1] = (
        distribution["engagements"][1],
        distribution["engagements"][0],
    )
    with pytest.raises(ceremonie.CeremonieRefusee, match="ne se vérifient pas"):
        ceremonie.publier_distribution(c, premier.membre, distribution)


def test_la_cloture_fige_l_urne_et_l_emargement(bureau, scrutin, creer_electeur) -> None:
    from isoloir.booth.models import Emargement
    from isoloir.counting import cloture

    electeurs = [creer_electeur(scrutin, active=True) for _ in (1, 2)]
    _pret_a_voter(bureau)
    for electeur, k in zip(electeurs, (1, 2), strict=True):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, k))
    with pytest.raises(cloture.ClotureRefusee, match="fin de sa période de vote"):
        cloture.clore(scrutin)
    with horloge.decalee_de(timedelta(days=9)):
        faite = cloture.clore(scrutin)
        assert (faite.bulletins, faite.emargements) == (2, 2)
        assert cloture.clore(scrutin) == faite  # once
        assert cloture.verifier(faite) == []
        # An émargement altered after the closing stops the count.
        Emargement.objects.filter(inscription__scrutin=scrutin).first().delete()
        with pytest.raises(depouillement.DepouillementRefuse, match="L'émargement a changé"):
            depouillement.ouvrir(scrutin)
