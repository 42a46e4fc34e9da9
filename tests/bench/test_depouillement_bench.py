"""The count bench gives the truth, at a size a test can afford (no timing is asserted:
speed figures live in bench/ and docs/bench.md, never in the tests)."""

import pytest

from bench import belenios, depouillement
from isoloir.crypto.bulletin import creer_bulletin
from isoloir.crypto.groupe import AleaSysteme


def test_le_depouillement_du_banc_donne_la_verite_et_se_reverifie() -> None:
    r = depouillement.mesurer_isoloir(20, processus=2)
    # Voter i chooses i mod 7, the blank vote first: 20 = 2·7 + 6.
    assert r.decomptes == (3, 3, 3, 3, 3, 3, 2)
    assert sum(r.decomptes) == 20
    attendu = {"ceremonie", "creation", *depouillement.ETAPES_DU_DEPOUILLEMENT, "reverification"}
    assert {m.cle for m in r.mesures} == attendu
    # The seats are those of the allocation rule on the true counts (10 seats, 6 lists).
    assert sum(r.sieges.values()) == depouillement.SIEGES
    assert set(r.sieges) == set(depouillement.LISTES)
    # Quotient 17/10: one seat each; then five lists tie at 3/2 for the last four seats
    # and SUD (2 votes, average 1) gets none of them.
    assert r.sieges["SUD"] == 1
    assert sorted(v for k, v in r.sieges.items() if k != "SUD") == [1, 2, 2, 2, 2]


def test_un_bulletin_qui_n_est_pas_celui_attendu_arrete_le_banc() -> None:
    election = depouillement.ceremonie()
    urne = depouillement.creer_urne(election, 14, processus=1)
    # A valid ballot, but for list 1 where the round-robin puts the blank vote.
    urne[0] = creer_bulletin(election.manifeste, 1, AleaSysteme())
    resultat = depouillement.ResultatIsoloir(bulletins=14, processus=1)
    with pytest.raises(depouillement.EchecBanc, match=r"\[1, 3, 2, 2, 2, 2, 2\]"):
        depouillement.depouiller(election, urne, 1, resultat)


def test_belenios_tool_compte_la_meme_election() -> None:
    r = belenios.lancer(3, processus=2)
    assert r.decomptes == (1, 1, 1, 0, 0, 0, 0)
    assert r.version.startswith("2.")
    assert [e.nom for e in r.etapes] == [
        "accreditations",
        "ceremonie",
        "creation",
        "depot",
        "verification",
        "somme",
        "dechiffrement_1",
        "dechiffrement_2",
        "resultat",
        "verification_finale",
    ]


def test_le_rapport_met_les_deux_cote_a_cote(capsys) -> None:
    depouillement.main(["--bulletins", "9", "--belenios", "3", "--processus", "1"])
    sortie = capsys.readouterr().out
    assert "Isoloir, 9 bulletins" in sortie
    assert "Isoloir, 3 bulletins" in sortie
    assert "Décomptes, blanc d'abord : [1, 1, 1, 0, 0, 0, 0] = vérité" in sortie
    assert "Côte à côte, 3 bulletins" in sortie
    assert "belenios-tool : [1, 1, 1, 0, 0, 0, 0] = vérité" in sortie
    assert "vérification de l'urne" in sortie
    assert "9 bulletins ≥" in sortie  # extrapolation to the larger size
